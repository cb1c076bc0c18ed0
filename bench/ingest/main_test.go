package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"patchreview/review"
	"patchreview/storage"
)

// TestLimitedReaderWritesAsTheProduct: the first messages of an mbox, as
// the benchmark feeds them to the store, are the bytes review.WriteMbox
// writes for them, and read back to the same messages.
func TestLimitedReaderWritesAsTheProduct(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.mbox")
	src := "From mboxrd@z Thu Jan  1 00:00:00 1970\n" +
		"Subject: one\n\nFrom here on\n>From quoted\nno blank line after this one\n" +
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n" +
		"Subject: two\n\nbody\n\n" +
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n" +
		"Subject: three\n\nbody\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var first [][]byte
	if err := splitLimited(path, 2, func(raw []byte) error { first = append(first, raw); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 {
		t.Fatalf("splitLimited(2) = %d messages", len(first))
	}
	r, err := limitedReader(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := review.WriteMbox(&want, first); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("limitedReader wrote\n%q\nreview.WriteMbox writes\n%q", got, want.Bytes())
	}
	var back, again [][]byte
	review.SplitMbox(bytes.NewReader(got), func(raw []byte) error { back = append(back, raw); return nil })
	review.SplitMbox(bytes.NewReader(want.Bytes()), func(raw []byte) error { again = append(again, raw); return nil })
	if !slices.EqualFunc(back, again, bytes.Equal) || len(back) != 2 {
		t.Errorf("read back: %q, want %q", back, again)
	}
}

// ends runs acceptAll and fails the test if it has not returned after a
// minute: the bug was a feeder blocked forever once every worker had
// given up.
func ends(t *testing.T, raws [][]byte, workers int, accept func(context.Context, int, []byte) error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- acceptAll(context.Background(), raws, workers, accept) }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("acceptAll did not end after its workers failed")
		return nil
	}
}

func mails(n int) [][]byte {
	var raws [][]byte
	for i := range n {
		raws = append(raws, fmt.Appendf(nil, "From: a@example.org\nSubject: m%d\nMessage-ID: <m%d@x>\n\nbody\n", i, i))
	}
	return raws
}

// TestAcceptAllEndsWhenEveryWorkerFails: the store is closed, so every
// Accept fails; the drain benchmark must end with that error, naming the
// message, instead of hanging.
func TestAcceptAllEndsWhenEveryWorkerFails(t *testing.T) {
	st, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "drain.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	err = ends(t, mails(100), 4, func(ctx context.Context, _ int, raw []byte) error {
		_, _, err := st.Accept(ctx, raw, "bench")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "store closed") || !strings.Contains(err.Error(), "accept message") {
		t.Errorf("err %v, want the store's error naming the message", err)
	}
}

// TestAcceptAllStopsAtTheFirstFailure: one failure stops the feeding; the
// others are not all tried, and the error is that failure's.
func TestAcceptAllStopsAtTheFirstFailure(t *testing.T) {
	boom := errors.New("boom")
	var tried atomic.Int64
	err := ends(t, mails(1000), 4, func(_ context.Context, i int, _ []byte) error {
		tried.Add(1)
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "accept message 11 of 1000") {
		t.Errorf("err %v, want boom naming message 11", err)
	}
	if n := tried.Load(); n == 1000 {
		t.Errorf("all %d messages tried after a failure", n)
	}
	if err := ends(t, mails(50), 4, func(context.Context, int, []byte) error { return nil }); err != nil {
		t.Errorf("no failure: %v", err)
	}
}

// trend is the slope over the tenths as a share of the mean rate.
func TestTrend(t *testing.T) {
	for _, c := range []struct {
		ys   []float64
		want float64
	}{
		{[]float64{100, 100, 100, 100}, 0},
		{[]float64{90, 100, 110}, 10},  // +10 per tenth on a mean of 100
		{[]float64{120, 100, 80}, -20}, // -20 per tenth
		{[]float64{5}, 0},
	} {
		if got := trend(c.ys); got < c.want-1e-9 || got > c.want+1e-9 {
			t.Errorf("trend(%v) = %v, want %v", c.ys, got, c.want)
		}
	}
}

// The copies of a repeated mbox have new ids, consistent within a copy, and
// their headers' dates (only the headers') copyYears later per copy.
func TestRepeatMboxMovesIDsAndDates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.mbox")
	src := "From mboxrd@z Thu Jan  1 00:00:00 1970\n" +
		"Message-ID: <a@x>\nDate: Mon, 20 May 2019 14:55:11 +0200\nSubject: one\n\n" +
		"Date: Mon, 20 May 2019 14:55:11 +0200\n" +
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n" +
		"Message-ID: <b@x>\nIn-Reply-To: <a@x>\nDate: not a date\n\nbody\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := repeatMbox(path, 3, &out); err != nil {
		t.Fatal(err)
	}
	var msgs []*review.Message
	if err := review.SplitMbox(&out, func(raw []byte) error {
		m, err := review.ParseMessage(raw)
		msgs = append(msgs, m)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 6 {
		t.Fatalf("%d messages, want 6", len(msgs))
	}
	for i := range 3 {
		a, b := msgs[2*i], msgs[2*i+1]
		if want := time.Date(2019+copyYears*i, 5, 20, 14, 55, 11, 0, time.FixedZone("", 7200)); !a.Date.Equal(want) {
			t.Errorf("copy %d: date %v, want %v", i, a.Date, want)
		}
		if b.InReplyTo != a.MessageID || i > 0 && a.MessageID == msgs[0].MessageID {
			t.Errorf("copy %d: ids %q, %q answering %q", i, a.MessageID, b.MessageID, b.InReplyTo)
		}
		if !strings.HasPrefix(a.Body, "Date: Mon, 20 May 2019") {
			t.Errorf("copy %d: a body line was moved: %q", i, a.Body)
		}
	}
}
