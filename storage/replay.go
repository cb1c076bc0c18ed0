package storage

import (
	"context"
	"database/sql"
	"time"
)

// UseWebhookToken records a webhook's one-time token and reports whether
// it was new; tokens older than keep are forgotten. It survives restarts,
// so a replayed request is refused after one too.
func (s *Store) UseWebhookToken(ctx context.Context, token string, now time.Time, keep time.Duration) (fresh bool, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_tokens WHERE at < ?`, now.Add(-keep).UnixNano()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO webhook_tokens (token, at) VALUES (?, ?) ON CONFLICT (token) DO NOTHING`, token, now.UnixNano())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		fresh = n == 1
		return err
	})
	return fresh, err
}

// ForgetWebhookToken forgets a token UseWebhookToken recorded: its request
// could not be stored, and the sender's retry must not count as a replay.
func (s *Store) ForgetWebhookToken(ctx context.Context, token string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM webhook_tokens WHERE token = ?`, token)
	return err
}
