-- Threading looks replies up by the message they answer by index, not by a
-- scan of the whole table: messages_in_reply_to (0006), comments_message
-- (0008, which rebuilds the comments table).

-- The unthreaded fallback joins only mail of the same list with the same bracket tags
-- ("[PATCH AUTOSEL 5.10 …]" never joins "[PATCH AUTOSEL 5.4 …]"); b4
-- links versions by the cover letter's change-id first.
ALTER TABLE series ADD COLUMN tags TEXT NOT NULL DEFAULT '';
ALTER TABLE series ADD COLUMN list TEXT NOT NULL DEFAULT ''; -- List-Id: the fallback stays within a list
ALTER TABLE series ADD COLUMN change_id TEXT NOT NULL DEFAULT '';
CREATE INDEX series_change_id ON series(change_id) WHERE change_id != '';
-- The next version of a series, and the "superseded" test of the lists.
CREATE INDEX series_prev_version ON series(prev_id, version);

-- A different mail reusing a stored Message-ID is kept under a derived id,
-- linked to the first (public-inbox keeps both too).
ALTER TABLE messages ADD COLUMN dup_of INTEGER REFERENCES messages(id);
CREATE INDEX messages_dup_of ON messages(dup_of) WHERE dup_of IS NOT NULL;
