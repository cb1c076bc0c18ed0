package storage

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func acceptMail(id, list string) []byte {
	return []byte("From: Ann <ann@example.org>\nSubject: hello\nMessage-ID: <" + id + ">\nList-Id: <" + list +
		">\nDate: Mon, 19 Jan 2026 10:00:00 +0000\n\nbody\n")
}

// TestAcceptGroupIsolatesAFailure: concurrent webhook posts are committed
// in one transaction; when one message's insert fails (here a trigger the
// test adds: on its row, or on its list after its row was written), only
// that sender gets an error. The others are committed and acknowledged,
// and nothing of the failed ones is stored, not even half.
func TestAcceptGroupIsolatesAFailure(t *testing.T) {
	s, path := openTest(t, Options{})
	ctx := context.Background()
	for _, q := range []string{
		`CREATE TRIGGER fail_row BEFORE INSERT ON messages WHEN NEW.message_id LIKE 'bad-row%'
			BEGIN SELECT RAISE(ABORT, 'injected failure of the row'); END`,
		`CREATE TRIGGER fail_list BEFORE INSERT ON message_lists WHEN NEW.list = 'bad.example.org'
			BEGIN SELECT RAISE(ABORT, 'injected failure of the list'); END`,
	} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var groups [][]string
	s.acceptGroupHook = func(ids []string) {
		mu.Lock()
		groups = append(groups, ids)
		mu.Unlock()
	}
	type result struct {
		id  int64
		err error
	}
	// A group forms while the writer is busy: the test holds the one
	// writer connection while the posts queue up, then lets go.
	var good []string
	for try := 0; ; try++ {
		if try == 5 {
			t.Fatalf("no group held a failing message with others in 5 tries: %v", groups)
		}
		groups = nil
		conn, err := s.w.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		first := fmt.Sprintf("first-%d@x", try)
		firstDone := make(chan error, 1)
		go func() { _, _, err := s.Accept(ctx, acceptMail(first, "ok.example.org"), "test"); firstDone <- err }()
		time.Sleep(20 * time.Millisecond) // the loop takes it, and waits for the connection
		ids := []string{fmt.Sprintf("bad-row-%d@x", try), fmt.Sprintf("bad-list-%d@x", try)}
		for i := range 6 {
			ids = append(ids, fmt.Sprintf("good-%d-%d@x", try, i))
		}
		results := make([]result, len(ids))
		var wg sync.WaitGroup
		for i, id := range ids {
			list := "ok.example.org"
			if strings.HasPrefix(id, "bad-list") {
				list = "bad.example.org"
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				id, _, err := s.Accept(ctx, acceptMail(id, list), "test")
				results[i] = result{id, err}
			}()
		}
		time.Sleep(50 * time.Millisecond) // they queue up behind the first
		conn.Close()
		wg.Wait()
		if err := <-firstDone; err != nil {
			t.Fatalf("first message: %v", err)
		}
		for i, id := range ids {
			r := results[i]
			if strings.HasPrefix(id, "bad") {
				if r.err == nil || !strings.Contains(r.err.Error(), "injected failure") {
					t.Errorf("%s: err %v, want its injected failure", id, r.err)
				}
				continue
			}
			if r.err != nil || r.id == 0 {
				t.Errorf("%s (fine mail in the group of a failing one): id %d, err %v", id, r.id, r.err)
			}
			good = append(good, id)
		}
		if t.Failed() {
			t.FailNow()
		}
		if grouped(groups, ids[0], ids[2:]) && grouped(groups, ids[1], ids[2:]) {
			break
		}
		good = nil
	}
	// Durable: a new Store on the file sees every acknowledged message,
	// with its list, and no row of the failed ones.
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for _, id := range good {
		var n int
		if err := s2.r.QueryRowContext(ctx, `SELECT count(*) FROM messages m JOIN message_lists l ON l.message = m.id
			WHERE m.message_id = ? AND l.list = 'ok.example.org'`, id).Scan(&n); err != nil || n != 1 {
			t.Errorf("%s acknowledged: %d rows with its list, %v", id, n, err)
		}
	}
	var half int
	if err := s2.r.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE message_id LIKE 'bad%'`).Scan(&half); err != nil || half != 0 {
		t.Errorf("%d rows of the failed messages stored, %v; want none", half, err)
	}
}

// grouped says whether some group holds id and one of others.
func grouped(groups [][]string, id string, others []string) bool {
	for _, g := range groups {
		if !slices.Contains(g, id) {
			continue
		}
		for _, o := range others {
			if slices.Contains(g, o) {
				return true
			}
		}
	}
	return false
}

// TestBatchIsolatesAFailure: the ingest's batches use the same savepoint
// as the accept groups (inSavepoint). A message whose list cannot be
// written after its row was is rolled back alone, then kept raw and
// pending with the reason (the queue retries it); the others of the
// batch are stored whole, and the ingest names the failed one.
func TestBatchIsolatesAFailure(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `CREATE TRIGGER fail_list BEFORE INSERT ON message_lists WHEN NEW.list = 'bad.example.org'
		BEGIN SELECT RAISE(ABORT, 'injected failure of the list'); END`); err != nil {
		t.Fatal(err)
	}
	var mbox strings.Builder
	for _, m := range []struct{ id, list string }{{"a@x", "ok.example.org"}, {"b@x", "bad.example.org"}, {"c@x", "ok.example.org"}} {
		mbox.WriteString("From mboxrd@z Thu Jan  1 00:00:00 1970\n")
		mbox.Write(acceptMail(m.id, m.list))
		mbox.WriteString("\n")
	}
	st, err := s.IngestMbox(ctx, strings.NewReader(mbox.String()), "test", nil)
	if err == nil || !strings.Contains(err.Error(), "b@x") {
		t.Errorf("ingest: %v, want the error of b@x", err)
	}
	if st.Messages != 3 || st.New != 2 {
		t.Errorf("stats %+v, want 3 messages read, 2 new", st)
	}
	for _, id := range []string{"a@x", "c@x"} {
		if n := count(t, s, `SELECT count(*) FROM messages m JOIN message_lists l ON l.message = m.id
			WHERE m.message_id = '`+id+`' AND m.state = 'done' AND l.list = 'ok.example.org'`); n != 1 {
			t.Errorf("%s: %d rows stored done with its list, want 1", id, n)
		}
	}
	var state, errText string
	var attempts int
	if err := s.r.QueryRowContext(ctx, `SELECT state, attempts, error FROM messages WHERE message_id = 'b@x'`).Scan(&state, &attempts, &errText); err != nil {
		t.Fatalf("the failed message is not kept: %v", err)
	}
	if state != "pending" || attempts != 1 || !strings.Contains(errText, "injected failure") {
		t.Errorf("failed message: state %q, attempts %d, error %q; want pending, 1, the injected failure", state, attempts, errText)
	}
	if n := count(t, s, `SELECT count(*) FROM message_lists l JOIN messages m ON m.id = l.message WHERE m.message_id = 'b@x'`); n != 0 {
		t.Errorf("%d list rows of the failed message: its half-write was not rolled back", n)
	}
}

// BenchmarkAcceptConcurrent: 32 webhook posts at a time, group-committed
// (each message in its own savepoint); the figure that matters is ns/op,
// one op being one accepted message.
func BenchmarkAcceptConcurrent(b *testing.B) {
	s, err := Open(context.Background(), b.TempDir()+"/bench.db", Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var n atomic.Int64
	b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := fmt.Sprintf("bench-%d@x", n.Add(1))
			if _, _, err := s.Accept(context.Background(), acceptMail(id, "ok.example.org"), "bench"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// A second, different mail reusing a Message-ID whose storing fails is
// kept raw and pending under its derived id, as it would be stored had it
// not failed: the first mail's row does not swallow it.
func TestFailedReuseOfAMessageIDIsKept(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	if _, err := s.IngestMessage(ctx, acceptMail("reused@x", "ok.example.org"), "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TRIGGER fail_list BEFORE INSERT ON message_lists WHEN NEW.list = 'bad.example.org'
		BEGIN SELECT RAISE(ABORT, 'injected failure of the list'); END`); err != nil {
		t.Fatal(err)
	}
	other := strings.Replace(string(acceptMail("reused@x", "bad.example.org")), "\n\nbody\n", "\n\nanother body\n", 1)
	var mbox strings.Builder
	for _, m := range []string{string(acceptMail("other@x", "ok.example.org")), other} {
		mbox.WriteString("From mboxrd@z Thu Jan  1 00:00:00 1970\n" + m + "\n")
	}
	if _, err := s.IngestMbox(ctx, strings.NewReader(mbox.String()), "test", nil); err == nil || !strings.Contains(err.Error(), "reused@x") {
		t.Errorf("ingest: %v, want the error of reused@x", err)
	}
	var state, errText string
	var dupOf int64
	err := s.r.QueryRowContext(ctx, `SELECT state, error, coalesce(dup_of, 0) FROM messages WHERE message_id LIKE 'reused@x#dup-%'`).Scan(&state, &errText, &dupOf)
	if err != nil {
		t.Fatalf("the failed second mail under reused@x is not kept: %v", err)
	}
	if state != "pending" || !strings.Contains(errText, "injected failure") || dupOf == 0 {
		t.Errorf("kept as state %q, error %q, dup_of %d; want pending, the injected failure, linked to the first", state, errText, dupOf)
	}
}
