-- A finding dismissed by a reviewer stays visible, muted, with the reason.
CREATE TABLE dismissals (
	finding_id   INTEGER PRIMARY KEY REFERENCES findings(id) ON DELETE CASCADE,
	reason       TEXT    NOT NULL CHECK (reason IN ('false-positive', 'intended', 'pre-existing')),
	note         TEXT    NOT NULL DEFAULT '',
	author_name  TEXT    NOT NULL DEFAULT '',
	author_email TEXT    NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL
);

-- A reviewer's verdict on a patch, or on a whole series (patch_id NULL).
CREATE TABLE verdicts (
	id           INTEGER PRIMARY KEY,
	series_id    INTEGER NOT NULL REFERENCES series(id),
	patch_id     INTEGER REFERENCES patches(id) ON DELETE CASCADE,
	kind         TEXT    NOT NULL CHECK (kind IN ('Reviewed-by', 'Acked-by', 'Tested-by', 'Nacked-by', 'changes-requested')),
	author_name  TEXT    NOT NULL,
	author_email TEXT    NOT NULL,
	note         TEXT    NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	UNIQUE (series_id, patch_id, author_email, kind)
);
CREATE INDEX verdicts_patch ON verdicts(patch_id);
