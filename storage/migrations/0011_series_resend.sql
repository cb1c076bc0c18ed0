-- A "[PATCH RESEND vN]" series is a resend of the same version, not the
-- version after N-1: resend_of names the original vN series, and the
-- resend takes no place in the prev_id chain of versions.
ALTER TABLE series ADD COLUMN resend_of INTEGER REFERENCES series(id);
CREATE INDEX series_resend_of ON series(resend_of) WHERE resend_of IS NOT NULL;

-- Existing resends: the earliest series by the same author with the same
-- version and title that is not a resend itself.
UPDATE series SET resend_of = (
	SELECT o.id FROM series o WHERE o.author_email = series.author_email AND o.version = series.version
		AND lower(o.title) = lower(series.title) AND o.id != series.id
		AND (' ' || o.tags || ' ') NOT LIKE '% resend %'
	ORDER BY o.id LIMIT 1)
WHERE (' ' || tags || ' ') LIKE '% resend %';
-- A later version that was linked to a resend links to its original.
UPDATE series SET prev_id = (SELECT r.resend_of FROM series r WHERE r.id = series.prev_id)
WHERE prev_id IN (SELECT id FROM series WHERE resend_of IS NOT NULL);
UPDATE series SET prev_id = NULL WHERE resend_of IS NOT NULL;
