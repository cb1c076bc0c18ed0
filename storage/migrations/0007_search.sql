-- Search like lore: one row per processed message, rowid = messages.id.
-- Contentless (the text is in messages.raw already); columns are the
-- prefixes of the query language: s: subject, f: author (From), a: From,
-- To and Cc, b: body, dfn: file names of the diff, dfhh: function names
-- of its hunk headers, m: Message-ID.
CREATE VIRTUAL TABLE search USING fts5(subject, author, addrs, body, dfn, dfhh, mid,
	content = '', contentless_delete = 1, tokenize = 'unicode61');
-- Merge segments 16 at a time rather than 4: an ingest rewrites each
-- index entry half as often (FTS5 merging was 8% of the ingest's CPU).
INSERT INTO search (search, rank) VALUES ('automerge', 16);
-- Messages processed before this migration, indexed by the queue in
-- batches (they are parsed again to be indexed).
CREATE TABLE search_backlog (id INTEGER PRIMARY KEY);
INSERT INTO search_backlog SELECT id FROM messages WHERE state = 'done';
