package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"patchreview/publicinbox"

	"patchreview/storage"
	"patchreview/web"
)

// runServe implements 'patchreview serve [--addr A] [--db PATH]'. Flags win
// over the environment, which wins over the defaults.
func runServe(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", envOr(e.getenv, "PATCHREVIEW_ADDR", "127.0.0.1:8080"), "listen address (env PATCHREVIEW_ADDR)")
	db := fs.String("db", envOr(e.getenv, "PATCHREVIEW_DB", "patchreview.db"), "SQLite database file, created on first start (env PATCHREVIEW_DB)")
	maxUpload := fs.Int64("max-upload", 50<<20, "largest accepted upload or webhook body, in bytes")
	insecure := fs.Bool("insecure-webhook", false, "accept unauthenticated webhook posts (local testing only)")
	noWorker := fs.Bool("no-worker", false, "accept mail into the queue but do not process it; a server without this flag on the same database processes what is pending")
	kv := fs.String("kernel-version", e.getenv("PATCHREVIEW_KERNEL_VERSION"), "kernel version for era-dependent checks (default: infer)")
	debug := fs.Bool("debug", false, "log every request")
	var follow stringList
	fs.Var(&follow, "follow", "a public-inbox archive (DIR with git/N.git, or one epoch repository) to import and then poll; repeat for several lists")
	followEvery := fs.Duration("follow-every", 5*time.Minute, "how often to poll the --follow archives (git fetch first when they have a remote)")
	budget := fs.Duration("check-budget", 10*time.Second, "time budget for the checks of one message; past it the message is stored with a note")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	if err := serve(ctx, log, serveConfig{addr: *addr, db: *db, maxUpload: *maxUpload, insecure: *insecure,
		worker: !*noWorker, kernelVersion: *kv, secret: e.getenv("PATCHREVIEW_WEBHOOK_SECRET"),
		follow: follow, followEvery: *followEvery, checkBudget: *budget}); err != nil {
		log.Error("serve", "error", err)
		return 1
	}
	return 0
}

type serveConfig struct {
	addr, db, secret, kernelVersion string
	maxUpload                       int64
	insecure, worker                bool
	follow                          []string
	followEvery, checkBudget        time.Duration
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func serve(ctx context.Context, log *slog.Logger, cfg serveConfig) error {
	store, err := storage.Open(ctx, cfg.db, storage.Options{Checker: newChecker(cfg.kernelVersion), CheckBudget: cfg.checkBudget})
	if err != nil {
		return err
	}
	defer store.Close()
	kick := make(chan struct{}, 1)
	srv, err := web.NewServer(store, log, web.Options{MaxUpload: cfg.maxUpload, WebhookSecret: cfg.secret,
		InsecureHook: cfg.insecure, Kick: kick})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	webhook := "off (set PATCHREVIEW_WEBHOOK_SECRET)"
	switch {
	case cfg.secret != "":
		webhook = "on (secret set)"
	case cfg.insecure:
		webhook = "on, UNAUTHENTICATED (--insecure-webhook)"
	}
	log.Info("patchreview serving", "url", "http://"+ln.Addr().String()+"/", "db", cfg.db, "webhook", webhook, "worker", cfg.worker)
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	if cfg.worker {
		go func() { store.RunQueue(ctx, kick, 30*time.Second, log); close(done) }()
	} else {
		close(done)
	}
	following := make(chan struct{})
	if len(cfg.follow) > 0 {
		go func() { followInboxes(ctx, store, cfg.follow, cfg.followEvery, log); close(following) }()
	} else {
		close(following)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		shut, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		err = hs.Shutdown(shut)
	}
	cancel()
	<-done
	<-following
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("http: %w", err)
	}
	return nil
}

// followInboxes imports the given public-inbox archives, then polls them
// every interval (after `git fetch` in each epoch that has a remote) until
// ctx ends. An archive that fails is logged and tried again next round.
func followInboxes(ctx context.Context, store *storage.Store, dirs []string, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for _, dir := range dirs {
			if ctx.Err() != nil {
				return
			}
			epochs, err := publicinbox.Epochs(dir)
			if err != nil {
				log.Error("follow", "archive", dir, "error", err)
				continue
			}
			for _, ep := range epochs {
				if publicinbox.HasRemote(ctx, ep) {
					if err := publicinbox.Fetch(ctx, ep); err != nil && ctx.Err() == nil {
						log.Error("follow: git fetch", "epoch", ep, "error", err)
					}
				}
			}
			st, err := store.IngestPublicInbox(ctx, dir, "", nil)
			if err != nil && ctx.Err() == nil {
				log.Error("follow", "archive", dir, "error", err)
			}
			if st.Messages > 0 {
				log.Info("follow: ingested", "archive", dir, "messages", st.Messages, "new", st.New, "patches", st.Patches)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
