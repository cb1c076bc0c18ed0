-- Every accepted message, raw bytes first; parsed fields filled by processing.
CREATE TABLE messages (
	id          INTEGER PRIMARY KEY,
	message_id  TEXT    NOT NULL UNIQUE,
	raw         BLOB    NOT NULL,
	source      TEXT    NOT NULL DEFAULT '',
	received_at INTEGER NOT NULL,               -- unix nanoseconds
	state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	error       TEXT    NOT NULL DEFAULT '',    -- why parsing or processing failed
	kind        TEXT    NOT NULL DEFAULT '',
	subject     TEXT    NOT NULL DEFAULT '',
	from_name   TEXT    NOT NULL DEFAULT '',
	from_email  TEXT    NOT NULL DEFAULT '',
	sent_at     INTEGER NOT NULL DEFAULT 0,
	in_reply_to TEXT    NOT NULL DEFAULT '',
	series_id   INTEGER REFERENCES series(id),
	parent_id   INTEGER REFERENCES messages(id) -- a reply: the patch, cover or code mail it answers
);
CREATE INDEX messages_state ON messages(state, id);
CREATE INDEX messages_parent ON messages(parent_id);

-- In-Reply-To and References of each message, to attach replies that
-- arrive before what they answer.
CREATE TABLE message_refs (
	message INTEGER NOT NULL REFERENCES messages(id),
	ref     TEXT    NOT NULL,
	PRIMARY KEY (message, ref)
);
CREATE INDEX message_refs_ref ON message_refs(ref);

CREATE TABLE series (
	id           INTEGER PRIMARY KEY,
	title        TEXT    NOT NULL,
	author_name  TEXT    NOT NULL,
	author_email TEXT    NOT NULL,
	version      INTEGER NOT NULL,
	total        INTEGER NOT NULL,
	cover_id     INTEGER REFERENCES messages(id),
	prev_id      INTEGER REFERENCES series(id),
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE INDEX series_author ON series(author_email, created_at);
CREATE INDEX series_created ON series(created_at);

-- Message ids that belong to a series or that its messages referenced.
CREATE TABLE series_refs (
	ref       TEXT    NOT NULL,
	series_id INTEGER NOT NULL REFERENCES series(id),
	PRIMARY KEY (ref, series_id)
);

-- A patch mail, or a mail with C code pasted for review (kind 'code').
CREATE TABLE patches (
	id         INTEGER PRIMARY KEY,
	series_id  INTEGER NOT NULL REFERENCES series(id),
	message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id),
	number     INTEGER NOT NULL,
	title      TEXT    NOT NULL,
	kind       TEXT    NOT NULL,
	diff       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX patches_series ON patches(series_id, number);

CREATE TABLE findings (
	id        INTEGER PRIMARY KEY,
	patch_id  INTEGER NOT NULL REFERENCES patches(id) ON DELETE CASCADE,
	rule      TEXT    NOT NULL,
	severity  TEXT    NOT NULL,
	path      TEXT    NOT NULL,
	line      INTEGER NOT NULL,
	function  TEXT    NOT NULL,
	code      TEXT    NOT NULL,
	message   TEXT    NOT NULL
);
CREATE INDEX findings_patch ON findings(patch_id);
CREATE INDEX findings_rule ON findings(rule);

-- Review comments: from list replies (source 'list') or the web ('web').
CREATE TABLE comments (
	id           INTEGER PRIMARY KEY,
	patch_id     INTEGER REFERENCES patches(id) ON DELETE CASCADE,
	series_id    INTEGER NOT NULL REFERENCES series(id),
	source       TEXT    NOT NULL CHECK (source IN ('list', 'web')),
	message_id   TEXT    NOT NULL DEFAULT '',
	author_name  TEXT    NOT NULL DEFAULT '',
	author_email TEXT    NOT NULL DEFAULT '',
	path         TEXT    NOT NULL DEFAULT '',
	line         INTEGER NOT NULL DEFAULT 0,
	code         TEXT    NOT NULL DEFAULT '',
	body         TEXT    NOT NULL,
	created_at   INTEGER NOT NULL
);
CREATE INDEX comments_patch ON comments(patch_id);
