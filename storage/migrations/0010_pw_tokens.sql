-- Tokens for the patchwork face's writes (git-pw patch update). A token
-- belongs to an account: here a minimal one (username, name, email) until
-- the accounts of issue 11 replace it. Only the token's SHA-256 is kept.
CREATE TABLE pw_tokens (
	id           INTEGER PRIMARY KEY,
	username     TEXT    NOT NULL UNIQUE,
	name         TEXT    NOT NULL DEFAULT '',
	email        TEXT    NOT NULL,
	token_sha256 TEXT    NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL
);
