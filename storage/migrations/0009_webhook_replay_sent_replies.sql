-- Webhook tokens (Mailgun) accepted within the replay window, kept across
-- restarts so that a captured request cannot be replayed after one.
CREATE TABLE webhook_tokens (
	token TEXT    PRIMARY KEY,
	at    INTEGER NOT NULL
);
CREATE INDEX webhook_tokens_at ON webhook_tokens(at);

-- Replies sent from the reply page, so the page says so and a double
-- click does not mail the list twice.
CREATE TABLE sent_replies (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	patch_id   INTEGER NOT NULL REFERENCES patches(id) ON DELETE CASCADE,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	message_id TEXT    NOT NULL,
	recipients TEXT    NOT NULL,
	sent_at    INTEGER NOT NULL
);
CREATE INDEX sent_replies_patch ON sent_replies(patch_id, user_id);
