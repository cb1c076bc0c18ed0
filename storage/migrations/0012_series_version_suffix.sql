-- "[PATCH v6a 0/5]" is version 6 with the suffix "a", shown as v6a.
ALTER TABLE series ADD COLUMN version_suffix TEXT NOT NULL DEFAULT '';
