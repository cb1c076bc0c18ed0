-- A patch's row in pw_patch_states may hold only what a maintainer set:
-- archiving or delegating a patch keeps its state derived (NULL), so a
-- later version still supersedes it, as in patchwork.
CREATE TABLE pw_patch_states_new (
	patch_id    INTEGER PRIMARY KEY REFERENCES patches(id) ON DELETE CASCADE,
	state       TEXT    CHECK (state IS NULL OR state IN ('new', 'under-review', 'accepted', 'rejected', 'rfc',
		'not-applicable', 'changes-requested', 'awaiting-upstream', 'superseded', 'deferred')),
	delegate_id INTEGER REFERENCES users(id),
	archived    INTEGER NOT NULL DEFAULT 0,
	commit_ref  TEXT    NOT NULL DEFAULT '',
	updated_by  INTEGER REFERENCES users(id),
	updated_at  INTEGER NOT NULL
);
INSERT INTO pw_patch_states_new SELECT patch_id, state, delegate_id, archived, commit_ref, updated_by, updated_at FROM pw_patch_states;
DROP TABLE pw_patch_states;
ALTER TABLE pw_patch_states_new RENAME TO pw_patch_states;
