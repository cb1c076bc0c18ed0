-- A new series looks up its author's earlier versions, resends and reposts
-- by title (the series' own or a patch's, case-folded): by the author and
-- the title, not by a scan of all the author's series (storage/thread.go,
-- titledSQL). The patches' titles: 0015.
CREATE INDEX IF NOT EXISTS series_author_title ON series(author_email, lower(title));
-- Its only use was that scan.
DROP INDEX IF EXISTS series_author_version;
