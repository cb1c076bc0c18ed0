-- A new series looks up its author's earlier versions, resends and reposts
-- by title (the series' own or a patch's, case-folded): by the author and
-- the title, not by a scan of all the author's series, nor of every
-- patch of that title whoever sent it (storage/thread.go, titledSQL).
CREATE INDEX IF NOT EXISTS series_author_title ON series(author_email, lower(title));
-- The titles of each series' patches under the series' author (a patch
-- never changes series, a series never changes author). insertPatch adds
-- a patch's.
CREATE TABLE patch_titles (
	author_email TEXT    NOT NULL, -- series.author_email, as it is
	title        TEXT    NOT NULL, -- lower(patches.title)
	series_id    INTEGER NOT NULL REFERENCES series(id),
	PRIMARY KEY (author_email, title, series_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO patch_titles (author_email, title, series_id)
	SELECT s.author_email, lower(p.title), p.series_id FROM patches p JOIN series s ON s.id = p.series_id;
-- Its only use was that scan.
DROP INDEX IF EXISTS series_author_version;
-- A second random-key index on the Message-ID (0006's, covering kind and
-- series_id) cost every new message a leaf write of its own, while the
-- lookups by Message-ID read the row anyway (or find it by the UNIQUE
-- index and read its first page, the raw mail being the last column).
DROP INDEX IF EXISTS messages_mid_kind;
