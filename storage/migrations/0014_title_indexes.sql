-- A new series looks up its author's earlier versions, resends and reposts
-- by title (the series' own or a patch's, case-folded): by these indexes,
-- not by a scan of all the author's series (storage/thread.go, titledSQL).
CREATE INDEX series_author_title ON series(author_email, lower(title));
CREATE INDEX patches_title ON patches(lower(title));
-- Its only use was that scan.
DROP INDEX series_author_version;
-- A second random-key index on the Message-ID (0006's, covering kind and
-- series_id) cost every new message a leaf write of its own, while the
-- lookups by Message-ID read the row anyway (or find it by the UNIQUE
-- index and read its first page, the raw mail being the last column).
DROP INDEX messages_mid_kind;
