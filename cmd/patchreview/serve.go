package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

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
	listName := fs.String("list-name", envOr(e.getenv, "PATCHREVIEW_LIST_NAME", "all"), "the list's name in the b4 and git-pw URLs: /<name>/<msgid>/, patchwork project <name> (env PATCHREVIEW_LIST_NAME)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	if err := serve(ctx, log, serveConfig{addr: *addr, db: *db, maxUpload: *maxUpload, insecure: *insecure,
		worker: !*noWorker, kernelVersion: *kv, listName: *listName, secret: e.getenv("PATCHREVIEW_WEBHOOK_SECRET")}); err != nil {
		log.Error("serve", "error", err)
		return 1
	}
	return 0
}

type serveConfig struct {
	addr, db, secret, kernelVersion, listName string
	maxUpload                                 int64
	insecure, worker                          bool
}

func serve(ctx context.Context, log *slog.Logger, cfg serveConfig) error {
	store, err := storage.Open(ctx, cfg.db, storage.Options{Checker: newChecker(cfg.kernelVersion)})
	if err != nil {
		return err
	}
	defer store.Close()
	kick := make(chan struct{}, 1)
	srv, err := web.NewServer(store, log, web.Options{MaxUpload: cfg.maxUpload, WebhookSecret: cfg.secret,
		InsecureHook: cfg.insecure, Kick: kick, ListName: cfg.listName})
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
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("http: %w", err)
	}
	return nil
}
