// Command ingest is the archive-scale ingest benchmark (run it through
// bench/ingest.sh). Every figure it prints comes from this one run:
//
//	raw     the physical limit: the raw messages inserted into one SQLite
//	        table in one transaction
//	mbox    Store.IngestMbox of an mbox, with the checks
//	inbox   Store.IngestPublicInbox of a public-inbox epoch (git), with checks
//	drain   every message accepted first (as the webhook does), then the
//	        queue drained
//	flat    the mbox repeated -repeat times under new Message-IDs, each copy
//	        10 years after the one before it (its dates), ingested
//	        into one database: msgs/s, I/O and RSS per tenth, and the trend
//	patho   one pathological mail (-kind nest, hunk or big) ingested within
//	        the check budget: time and peak RSS
//	gen     write the repeated mbox to stdout
//
// Output is one Markdown table row per mode.
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "modernc.org/sqlite"

	ichecker "patchreview/internal/checker"
	"patchreview/review"
	"patchreview/storage"
)

func main() {
	mode := flag.String("mode", "mbox", "raw, mbox, inbox, drain, flat or gen")
	mbox := flag.String("mbox", "", "mbox file")
	inbox := flag.String("inbox", "", "public-inbox epoch (a git repository), for -mode inbox")
	dir := flag.String("dir", os.TempDir(), "directory for the databases")
	repeat := flag.Int("repeat", 10, "copies of the archive for -mode flat and gen")
	limit := flag.Int("limit", 0, "use only the first N messages of the mbox (0: all)")
	kind := flag.String("kind", "nest", "for -mode patho: nest (100,000 nested parentheses), hunk (a 1,000,000-line hunk) or big (a 60 MiB mail)")
	budget := flag.Duration("budget", 10*time.Second, "per-message check budget")
	nocheck := flag.Bool("nocheck", false, "ingest without the checks (to see what they cost)")
	flag.StringVar(&tenthProfiles, "tenthprofiles", "", "for -mode flat: write CPU profiles of the first and the last tenth to PREFIX.first and PREFIX.last")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(300 << 20) // as cmd/patchreview sets them
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/ingest:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	if *nocheck {
		checker = func() storage.Checker { return nil }
	}
	var err error
	switch *mode {
	case "raw":
		err = benchRaw(ctx, *mbox, *dir, *limit)
	case "mbox":
		err = benchMbox(ctx, *mbox, *dir, *limit)
	case "inbox":
		err = benchInbox(ctx, *inbox, *dir)
	case "drain":
		err = benchDrain(ctx, *mbox, *dir, *limit)
	case "flat":
		err = benchFlat(ctx, *mbox, *dir, *repeat)
	case "patho":
		err = benchPatho(ctx, *kind, *dir, *budget)
	case "gen":
		w := bufio.NewWriterSize(os.Stdout, 1<<20)
		err = repeatMbox(*mbox, *repeat, w)
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench/ingest:", err)
		os.Exit(1)
	}
}

// checker is the adapter serve and ingest use (nil with -nocheck).
var checker = func() storage.Checker {
	c, err := ichecker.New("", "")
	if err != nil {
		panic(err) // no tree given: cannot fail
	}
	return c
}

func freshDB(dir, name string) string {
	p := filepath.Join(dir, name)
	for _, suf := range []string{"", "-wal", "-shm"} {
		os.Remove(p + suf)
	}
	return p
}

// splitLimited calls fn for the first limit messages (all when limit is 0).
func splitLimited(path string, limit int, fn func(raw []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	n := 0
	stop := fmt.Errorf("limit")
	err = review.SplitMbox(f, func(raw []byte) error {
		if limit > 0 && n >= limit {
			return stop
		}
		n++
		return fn(raw)
	})
	if err == stop {
		err = nil
	}
	return err
}

// limitedReader streams the first limit messages of an mbox as an mbox,
// written by the product's own writer (review.WriteMbox, as the mbox
// downloads are), so that the benchmark reads what the product writes.
func limitedReader(path string, limit int) (io.ReadCloser, error) {
	if limit == 0 {
		return os.Open(path)
	}
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(splitLimited(path, limit, func(raw []byte) error {
			return review.WriteMbox(pw, [][]byte{raw})
		}))
	}()
	return pr, nil
}

func benchRaw(ctx context.Context, mbox, dir string, limit int) error {
	path := freshDB(dir, "raw.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE raw (id INTEGER PRIMARY KEY, message_id TEXT NOT NULL, raw BLOB NOT NULL)`); err != nil {
		return err
	}
	lastCPU = cpuTime()
	start := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	n := 0
	err = splitLimited(mbox, limit, func(raw []byte) error {
		n++
		_, err := tx.Exec(`INSERT INTO raw (message_id, raw) VALUES (?, ?)`, review.ReadMessageID(raw), raw)
		return err
	})
	if err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	report("raw (one table, one tx)", n, time.Since(start), "")
	return nil
}

func benchMbox(ctx context.Context, mbox, dir string, limit int) error {
	st, err := storage.Open(ctx, freshDB(dir, "mbox.db"), storage.Options{Checker: checker()})
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := limitedReader(mbox, limit)
	if err != nil {
		return err
	}
	defer r.Close()
	lastCPU = cpuTime()
	start := time.Now()
	s, err := st.IngestMbox(ctx, r, "bench", nil)
	if err != nil {
		return err
	}
	report("mbox ingest", s.Messages, time.Since(start), fmt.Sprintf("%d new, %d failed, %d patches, %d series; peak RSS %s",
		s.New, s.Failed, s.Patches, s.Series, rss("VmHWM")))
	return nil
}

func benchInbox(ctx context.Context, inbox, dir string) error {
	st, err := storage.Open(ctx, freshDB(dir, "inbox.db"), storage.Options{Checker: checker()})
	if err != nil {
		return err
	}
	defer st.Close()
	lastCPU = cpuTime()
	start := time.Now()
	s, err := st.IngestPublicInbox(ctx, inbox, "", nil)
	if err != nil {
		return err
	}
	report("public-inbox epoch import", s.Messages, time.Since(start), fmt.Sprintf("%d new, %d failed, %d patches, %d series; peak RSS %s",
		s.New, s.Failed, s.Patches, s.Series, rss("VmHWM")))
	return nil
}

func benchDrain(ctx context.Context, mbox, dir string, limit int) error {
	st, err := storage.Open(ctx, freshDB(dir, "drain.db"), storage.Options{Checker: checker()})
	if err != nil {
		return err
	}
	defer st.Close()
	// The webhook's clients post concurrently: 32 at a time.
	var raws [][]byte
	if err := splitLimited(mbox, limit, func(raw []byte) error { raws = append(raws, raw); return nil }); err != nil {
		return err
	}
	n := len(raws)
	lastCPU = cpuTime()
	start := time.Now()
	err = acceptAll(ctx, raws, 32, func(ctx context.Context, i int, raw []byte) error {
		_, _, err := st.Accept(ctx, raw, "bench")
		return err
	})
	raws = nil
	if err != nil {
		return err
	}
	accept := time.Since(start)
	report("webhook accept (32 concurrent, group commit)", n, accept, "")
	start = time.Now()
	done, err := st.ProcessPending(ctx)
	if err != nil {
		return err
	}
	report("queue drain", done, time.Since(start), "peak RSS "+rss("VmHWM"))
	return nil
}

// acceptAll accepts raws from workers goroutines, as the webhook's
// concurrent clients do. It ends when every message is accepted, or at the
// first failure, which it returns naming the message: the feeding stops
// then, rather than wait for workers that have all given up.
func acceptAll(ctx context.Context, raws [][]byte, workers int, accept func(ctx context.Context, i int, raw []byte) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type item struct {
		i   int
		raw []byte
	}
	next := make(chan item)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range next {
				if err := accept(ctx, it.i, it.raw); err != nil {
					cancel(fmt.Errorf("accept message %d of %d: %w", it.i+1, len(raws), err))
					return
				}
			}
		}()
	}
feed:
	for i, raw := range raws {
		select {
		case next <- item{i, raw}:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}

// idRe matches the local part of a message id or address in angle brackets.
var idRe = regexp.MustCompile(`<([^<>@\s]+)@`)

// repeatMbox writes the mbox n times; copy i>0 has every <x@ rewritten to
// <x.rI@, so that Message-IDs, In-Reply-To and References stay consistent
// within the copy and new across copies, and its headers' dates moved
// i×copyYears years later. Without that, every copy's mail fell on the
// same days as all the earlier copies': the threading looks for the
// author's series of the day around a patch without references, and found
// those of every earlier copy too, more with each copy, which a real
// archive of that size does not have.
func repeatMbox(mbox string, n int, w io.Writer) error {
	if (n-1)*copyYears > 150 {
		// time.Time's UnixNano, what the store keeps, ends in 2262
		return fmt.Errorf("-repeat %d: the last copy's dates would be %d years later; at most %d copies", n, (n-1)*copyYears, 150/copyYears+1)
	}
	for i := 0; i < n; i++ {
		f, err := os.Open(mbox)
		if err != nil {
			return err
		}
		br := bufio.NewReaderSize(f, 1<<20)
		repl := []byte("<${1}.r" + strconv.Itoa(i) + "@")
		header := false // in a message's header
		for {
			line, err := br.ReadBytes('\n')
			switch {
			case bytes.HasPrefix(line, []byte("From ")) && !header:
				header = true
			case header && len(bytes.TrimRight(line, "\r\n")) == 0:
				header = false
			case i > 0 && header && bytes.HasPrefix(line, []byte("Date:")):
				line = shiftDate(line, i*copyYears)
			}
			if i > 0 && bytes.IndexByte(line, '<') >= 0 {
				line = idRe.ReplaceAll(line, repl)
			}
			w.Write(line)
			if err == io.EOF {
				break
			}
			if err != nil {
				f.Close()
				return err
			}
		}
		f.Close()
	}
	return nil
}

// copyYears is how far apart the copies of repeatMbox are: more than the
// archive spans (nilfs: 2019 to 2026).
const copyYears = 10

// shiftDate moves a Date: header line years later; a date that does not
// parse is left as it is.
func shiftDate(line []byte, years int) []byte {
	v := strings.TrimSpace(string(line[len("Date:"):]))
	d, err := mail.ParseDate(v)
	if err != nil {
		return line
	}
	return []byte("Date: " + d.AddDate(years, 0, 0).Format(time.RFC1123Z) + "\n")
}

func benchFlat(ctx context.Context, mbox, dir string, repeat int) error {
	total := 0
	if err := splitLimited(mbox, 0, func([]byte) error { total++; return nil }); err != nil {
		return err
	}
	total *= repeat
	st, err := storage.Open(ctx, freshDB(dir, "flat.db"), storage.Options{Checker: checker()})
	if err != nil {
		return err
	}
	defer st.Close()
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 1<<20)
		err := repeatMbox(mbox, repeat, w)
		if err == nil {
			err = w.Flush()
		}
		pw.CloseWithError(err)
	}()
	tenth := total / 10
	if tenth == 0 {
		return fmt.Errorf("flat: %d messages cannot be cut in tenths", total)
	}
	marks := []time.Time{time.Now()}
	cpus := []time.Duration{cpuTime()}
	var rssAt []string
	ios := []ioCount{readIO()}
	lastCPU = cpuTime()
	start := time.Now()
	var prof *os.File
	startProf := func(name string) {
		if tenthProfiles != "" {
			prof, _ = os.Create(tenthProfiles + "." + name)
			pprof.StartCPUProfile(prof)
		}
	}
	stopProf := func() {
		if prof != nil {
			pprof.StopCPUProfile()
			prof.Close()
			prof = nil
		}
	}
	startProf("first")
	s, err := st.IngestMbox(ctx, pr, "bench", func(s storage.IngestStats) {
		if s.Messages%tenth == 0 && len(marks) <= 10 {
			switch len(marks) {
			case 1:
				stopProf()
			case 9:
				startProf("last")
			case 10:
				stopProf()
			}
			marks = append(marks, time.Now())
			cpus = append(cpus, cpuTime())
			ios = append(ios, readIO())
			rssAt = append(rssAt, rss("VmRSS"))
		}
	})
	if err != nil {
		return err
	}
	el := time.Since(start)
	var rates, cpuRates, reads, writes []string
	var wall, cpu []float64
	for i := 1; i < len(marks); i++ {
		wall = append(wall, float64(tenth)/marks[i].Sub(marks[i-1]).Seconds())
		cpu = append(cpu, float64(tenth)/(cpus[i]-cpus[i-1]).Seconds())
		rates = append(rates, fmt.Sprintf("%.0f", wall[len(wall)-1]))
		cpuRates = append(cpuRates, fmt.Sprintf("%.0f", cpu[len(cpu)-1]))
		reads = append(reads, fmt.Sprintf("%.0f", float64(ios[i].read-ios[i-1].read)/float64(tenth)/1024))
		writes = append(writes, fmt.Sprintf("%.0f", float64(ios[i].written-ios[i-1].written)/float64(tenth)/1024))
	}
	report(fmt.Sprintf("flat: %d× archive", repeat), s.Messages, el, fmt.Sprintf("trend per tenth: %+.1f%% msgs/s, %+.1f%% msgs/CPU-s; per tenth: msgs/s %s; msgs/CPU-s %s; KB read per msg %s; KB written per msg %s; RSS %s; peak %s",
		trend(wall), trend(cpu), strings.Join(rates, " "), strings.Join(cpuRates, " "), strings.Join(reads, " "), strings.Join(writes, " "), strings.Join(rssAt, " "), rss("VmHWM")))
	return nil
}

// trend is the least-squares slope of ys over their index, as a percentage
// of their mean: how much the rate changes from one tenth to the next (a
// flat ingest is 0; single tenths on a shared machine vary by ±10%, the
// trend over all ten much less).
func trend(ys []float64) float64 {
	n := float64(len(ys))
	if n < 2 {
		return 0
	}
	var sx, sy, sxy, sxx float64
	for i, y := range ys {
		x := float64(i)
		sx, sy, sxy, sxx = sx+x, sy+y, sxy+x*y, sxx+x*x
	}
	slope := (n*sxy - sx*sy) / (n*sxx - sx*sx)
	return 100 * slope / (sy / n)
}

var lastCPU = cpuTime()

var tenthProfiles string

// report prints a row: wall time, msgs/s, and the CPU seconds (user+sys)
// the process used since the previous row (the machine is shared: CPU time
// is the steadier figure).
func report(what string, n int, d time.Duration, note string) {
	c := cpuTime()
	cpu := c - lastCPU
	lastCPU = c
	fmt.Printf("| %s | %d | %.2f s | %.0f | %.2f s CPU, %.0f msgs/CPU-s; %s |\n", what, n, d.Seconds(), float64(n)/d.Seconds(),
		cpu.Seconds(), float64(n)/cpu.Seconds(), note)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ioCount is what the process read and wrote through system calls
// (/proc/self/io rchar and wchar: the page cache included), a steady
// measure of I/O per message on a shared machine. The reads include the
// input mbox itself (about 9.6 KB per message of the nilfs archive), the
// rest is the database's.
type ioCount struct{ read, written int64 }

func readIO() ioCount {
	var c ioCount
	b, _ := os.ReadFile("/proc/self/io")
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		switch k {
		case "rchar":
			c.read = n
		case "wchar":
			c.written = n
		}
	}
	return c
}

// rss reads a memory figure (VmRSS, VmHWM) of this process.
func rss(key string) string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, key+":") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.Atoi(f[1])
				return fmt.Sprintf("%d MB", kb/1024)
			}
		}
	}
	return "?"
}

// pathological builds the mails of the issue: a diff with 100,000 nested
// parentheses, a 1,000,000-line hunk (17.6 MB), a 60 MiB mail.
func pathological(kind string) []byte {
	var b bytes.Buffer
	b.WriteString("From: Fuzz <fuzz@example.org>\nSubject: [PATCH] fs: " + kind + "\nMessage-ID: <patho-" + kind + "@example.org>\n" +
		"Date: Mon, 2 Feb 2026 10:00:00 +0000\n\nA pathological patch.\n\nSigned-off-by: Fuzz <fuzz@example.org>\n---\n" +
		"diff --git a/fs/x.c b/fs/x.c\n--- a/fs/x.c\n+++ b/fs/x.c\n")
	switch kind {
	case "nest":
		const depth = 100000
		b.WriteString("@@ -1,3 +1,4 @@\n static int x_writepage(struct page *page)\n {\n+\tint a = ")
		b.WriteString(strings.Repeat("(", depth) + "1" + strings.Repeat(")", depth) + ";\n }\n")
	case "hunk":
		const n = 1000000
		fmt.Fprintf(&b, "@@ -0,0 +1,%d @@\n", n)
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "+\tunlock_page(page); /* %d */\n", i)
		}
	case "big":
		n := 0
		for b.Len() < 60<<20 {
			n++
			b.WriteString("+\tset_page_dirty(page); /* filler line of a sixty mebibyte patch */\n")
		}
		out := b.Bytes()
		i := bytes.Index(out, []byte("+++ b/fs/x.c\n")) + len("+++ b/fs/x.c\n")
		return append(append(append([]byte{}, out[:i]...), fmt.Sprintf("@@ -0,0 +1,%d @@\n", n)...), out[i:]...)
	}
	return b.Bytes()
}

func benchPatho(ctx context.Context, kind, dir string, budget time.Duration) error {
	raw := pathological(kind)
	st, err := storage.Open(ctx, freshDB(dir, "patho.db"), storage.Options{Checker: checker(), CheckBudget: budget})
	if err != nil {
		return err
	}
	defer st.Close()
	lastCPU = cpuTime()
	start := time.Now()
	s, err := st.IngestMessage(ctx, raw, "bench")
	if err != nil {
		return err
	}
	report(fmt.Sprintf("pathological %s (%.1f MB), budget %s", kind, float64(len(raw))/1e6, budget), s.Messages, time.Since(start),
		fmt.Sprintf("%d stored, %d check stopped; peak RSS %s", s.New, s.Stopped, rss("VmHWM")))
	return nil
}
