-- Reviewer accounts. A password hash is '' until the account's invite is
-- used; secrets (session, invite and API tokens) are stored as SHA-256
-- hashes only, so a copy of the database signs nobody in.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	name          TEXT    NOT NULL,
	email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
	password_hash TEXT    NOT NULL DEFAULT '',
	admin         INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- One-time links that let an invited reviewer set their password.
CREATE TABLE invites (
	token_hash TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);

-- Personal API tokens: they act as their account on any API face.
CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name         TEXT    NOT NULL DEFAULT '',
	token_hash   TEXT    NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL DEFAULT 0
);

-- Wrong passwords, per email and per client address, for rate limiting.
CREATE TABLE login_failures (
	key TEXT    NOT NULL,
	at  INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);

-- What a reviewer wrote belongs to their account (NULL: written before
-- accounts existed; only an admin changes those).
ALTER TABLE dismissals ADD COLUMN user_id INTEGER REFERENCES users(id);
ALTER TABLE verdicts ADD COLUMN user_id INTEGER REFERENCES users(id);

-- Comment ids are never reused (AUTOINCREMENT), so an old #comment-N link
-- never points at someone else's later comment.
CREATE TABLE comments_new (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
	created_at   INTEGER NOT NULL,
	user_id      INTEGER REFERENCES users(id),
	side         TEXT    NOT NULL DEFAULT 'new' CHECK (side IN ('new', 'old'))
);
INSERT INTO comments_new (id, patch_id, series_id, source, message_id, author_name, author_email, path, line, code, body, created_at)
	SELECT id, patch_id, series_id, source, message_id, author_name, author_email, path, line, code, body, created_at FROM comments;
DROP TABLE comments;
ALTER TABLE comments_new RENAME TO comments;
CREATE INDEX comments_patch ON comments(patch_id);
-- anchorReply replaces the comments an earlier anchoring of a reply made.
CREATE INDEX comments_message ON comments(message_id, source);
