package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"patchreview/review"
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
