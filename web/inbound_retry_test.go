package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"patchreview/storage"
)

// TestWebhookRetryAfterAFailedStore: a Mailgun post whose message could
// not be stored gets a 5xx, and Mailgun posts the same request again. Its
// one-time token must not have been spent by the failed post: the retry
// is stored, not refused as a replay (the mail would be lost).
func TestWebhookRetryAfterAFailedStore(t *testing.T) {
	const secret = "hook-secret"
	path := filepath.Join(t.TempDir(), "web.db")
	ctx := context.Background()
	st, err := storage.Open(ctx, path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := NewServer(st, slog.New(slog.DiscardHandler), Options{WebhookSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	// The failure: a trigger on the database file, from a second handle.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER fail BEFORE INSERT ON messages
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "tok-retry"))
	fields := map[string]string{"body-mime": string(splitFixture(t)[0]), "timestamp": ts, "token": "tok-retry",
		"signature": hex.EncodeToString(m.Sum(nil))}
	post := func() *httptest.ResponseRecorder {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		mw.Close()
		req := httptest.NewRequest("POST", "/api/v1/inbound", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return do(t, s, req)
	}
	if w := post(); w.Code < 500 {
		t.Fatalf("post that could not be stored: %d %s, want a 5xx", w.Code, w.Body)
	}
	if _, err := db.Exec(`DROP TRIGGER fail`); err != nil {
		t.Fatal(err)
	}
	if w := post(); w.Code != http.StatusAccepted {
		t.Fatalf("Mailgun's retry of the same post: %d %s, want 202", w.Code, w.Body)
	}
	if w := post(); w.Code != http.StatusUnauthorized {
		t.Errorf("a replay of the stored post: %d, want 401", w.Code)
	}
}
