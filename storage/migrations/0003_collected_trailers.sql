-- Trailers given in list replies (Reviewed-by, Acked-by, …), collected on
-- the patch they answer, or on every patch of a series for a cover reply.
CREATE TABLE collected_trailers (
	patch_id   INTEGER NOT NULL REFERENCES patches(id) ON DELETE CASCADE,
	key        TEXT    NOT NULL,
	value      TEXT    NOT NULL,
	message_id TEXT    NOT NULL,
	PRIMARY KEY (patch_id, key, value)
);
