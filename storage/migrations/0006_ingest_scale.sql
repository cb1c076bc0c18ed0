-- Archive-scale ingest: every query the threading and the pages run is
-- index-backed (no per-message scan), the bookkeeping of lists and
-- public-inbox imports, and a marker for checks stopped by the time budget.

-- The raw message becomes the last column: SQLite stores a row's columns
-- in order, and reading any column after a large blob walks the blob's
-- overflow pages (the series page read every patch's whole mail to get its
-- subject). Add, copy, drop, rename keeps every other column as it is.
ALTER TABLE messages ADD COLUMN raw_last BLOB NOT NULL DEFAULT x'';
UPDATE messages SET raw_last = raw;
ALTER TABLE messages DROP COLUMN raw;
ALTER TABLE messages RENAME COLUMN raw_last TO raw;

-- adoptOrphans: replies that answer a message directly. Covering kind and
-- parent_id so the row (and its raw blob's overflow pages) is not read.
CREATE INDEX messages_in_reply_to ON messages(in_reply_to, kind, parent_id);
-- attachReply: a parent by Message-ID and kind, without reading the row.
CREATE INDEX messages_mid_kind ON messages(message_id, kind, series_id);
-- Messages of a series (list filters, search results).
CREATE INDEX messages_series ON messages(series_id);
-- The status page's recent failures.
CREATE INDEX messages_errors ON messages(id) WHERE error != '';
-- PreviousVersion by title.
CREATE INDEX series_author_version ON series(author_email, version);

-- A check stopped by the per-message time budget, or that failed: the
-- patch is stored with the findings made so far and this note.
ALTER TABLE patches ADD COLUMN check_note TEXT NOT NULL DEFAULT '';

-- The lists a message came from: its List-Id, or the archive it was read
-- from. A cross-posted message belongs to each list it arrived through.
CREATE TABLE message_lists (
	list    TEXT    NOT NULL,
	message INTEGER NOT NULL REFERENCES messages(id),
	PRIMARY KEY (list, message)
) WITHOUT ROWID;
CREATE INDEX message_lists_message ON message_lists(message);
-- The lists a series' patches and cover letter came from.
CREATE TABLE series_lists (
	list      TEXT    NOT NULL,
	series_id INTEGER NOT NULL REFERENCES series(id),
	PRIMARY KEY (list, series_id)
) WITHOUT ROWID;
CREATE INDEX series_lists_series ON series_lists(series_id);

-- Public-inbox import: the last commit ingested per epoch repository.
CREATE TABLE inbox_epochs (
	repo        TEXT    PRIMARY KEY, -- absolute path of the epoch's git directory
	list        TEXT    NOT NULL,    -- the archive's name, for mail without List-Id
	last_commit TEXT    NOT NULL DEFAULT '',
	messages    INTEGER NOT NULL DEFAULT 0,
	updated_at  INTEGER NOT NULL DEFAULT 0
);
