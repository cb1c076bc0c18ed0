-- A trailer given in a reply that names someone other than the reply's
-- sender is kept, not applied (b4 am refuses it), and shown as such.
ALTER TABLE collected_trailers ADD COLUMN applied INTEGER NOT NULL DEFAULT 1;
ALTER TABLE collected_trailers ADD COLUMN sender TEXT NOT NULL DEFAULT '';
CREATE INDEX collected_trailers_message ON collected_trailers(message_id);
