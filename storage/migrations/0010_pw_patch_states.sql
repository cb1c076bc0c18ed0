-- A patch's patchwork state as a maintainer set it (git-pw patch update).
-- Patches without a row get a state derived from the series and verdicts.
CREATE TABLE pw_patch_states (
	patch_id    INTEGER PRIMARY KEY REFERENCES patches(id) ON DELETE CASCADE,
	state       TEXT    NOT NULL CHECK (state IN ('new', 'under-review', 'accepted', 'rejected', 'rfc',
		'not-applicable', 'changes-requested', 'awaiting-upstream', 'superseded', 'deferred')),
	delegate_id INTEGER REFERENCES users(id),
	archived    INTEGER NOT NULL DEFAULT 0,
	commit_ref  TEXT    NOT NULL DEFAULT '',
	updated_by  INTEGER REFERENCES users(id),
	updated_at  INTEGER NOT NULL
);

-- The faces look up people by email address on every listed patch (later
-- versions, for the derived state "superseded", by series_prev_version).
CREATE INDEX messages_from_lower ON messages(lower(from_email), id);
