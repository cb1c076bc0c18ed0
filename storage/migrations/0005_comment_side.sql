-- A list remark on a removed line anchors on the old side of the diff:
-- side 'old' and line its old-side number.
ALTER TABLE comments ADD COLUMN side TEXT NOT NULL DEFAULT 'new' CHECK (side IN ('old', 'new'));
