-- Webhook tokens (Mailgun) accepted within the replay window, kept across
-- restarts so that a captured request cannot be replayed after one.
CREATE TABLE webhook_tokens (
	token TEXT    PRIMARY KEY,
	at    INTEGER NOT NULL
);
CREATE INDEX webhook_tokens_at ON webhook_tokens(at);
