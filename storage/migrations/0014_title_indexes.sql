-- A new series looks up its author's earlier versions, resends and reposts
-- by title (the series' own or a patch's, case-folded): by these indexes,
-- not by a scan of all the author's series (storage/thread.go, titledSQL).
CREATE INDEX series_author_title ON series(author_email, lower(title));
CREATE INDEX patches_title ON patches(lower(title));
-- Its only use was that scan.
DROP INDEX series_author_version;
