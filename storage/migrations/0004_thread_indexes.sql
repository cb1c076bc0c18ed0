-- Threading looks replies up by the message they answer, and re-anchoring
-- a reply replaces the comments made from it: both by index, not by a
-- scan of the whole table.
CREATE INDEX messages_in_reply_to ON messages(in_reply_to);
CREATE INDEX comments_message ON comments(message_id);
