-- The titles of each series' patches under the series' author, for the
-- same lookups (titledSQL): by author and title, not among every patch of
-- that title whoever sent it. A patch never changes series, a series never
-- changes author; insertPatch adds each new patch's.
CREATE TABLE IF NOT EXISTS patch_titles (
	author_email TEXT    NOT NULL, -- series.author_email, as it is
	title        TEXT    NOT NULL, -- lower(patches.title)
	series_id    INTEGER NOT NULL REFERENCES series(id),
	PRIMARY KEY (author_email, title, series_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO patch_titles (author_email, title, series_id)
	SELECT s.author_email, lower(p.title), p.series_id FROM patches p JOIN series s ON s.id = p.series_id;
-- The index on all patches' titles this replaces (a database made while
-- 0014 had it).
DROP INDEX IF EXISTS patches_title;
-- A second random-key index on the Message-ID (0006's, covering kind and
-- series_id) cost every new message a leaf write of its own, while the
-- lookups by Message-ID read the row anyway (or find it by the UNIQUE
-- index and read its first page, the raw mail being the last column).
DROP INDEX IF EXISTS messages_mid_kind;
