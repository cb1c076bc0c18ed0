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

	"patchreview/internal/checker"
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
	tree := fs.String("tree", e.getenv("PATCHREVIEW_TREE"), "kernel source tree the patches apply to, so whole functions are checked (env PATCHREVIEW_TREE)")
	debug := fs.Bool("debug", false, "log every request")
	private := fs.Bool("private", false, "require signing in to read anything (default: reading is public, writing needs an account)")
	drain := fs.Duration("drain-timeout", 20*time.Second, "on SIGTERM, how long in-flight requests may finish before uploads are stopped with a 503 saying what was stored")
	smtpURL := fs.String("smtp", e.getenv("PATCHREVIEW_SMTP"), "SMTP relay that sends replies, smtp://user:pass@host:587 (STARTTLS) or smtps://…:465 (env PATCHREVIEW_SMTP)")
	sendmail := fs.String("sendmail", e.getenv("PATCHREVIEW_SENDMAIL"), "sendmail command that sends replies instead, e.g. /usr/sbin/sendmail (env PATCHREVIEW_SENDMAIL)")
	behindProxy := fs.Bool("behind-proxy", false, "a TLS-terminating proxy is in front: the scheme and host of absolute links from X-Forwarded-Proto and X-Forwarded-Host (cookies Secure when https), the client address from the last X-Forwarded-For")
	var follow stringList
	fs.Var(&follow, "follow", "a public-inbox archive (DIR with git/N.git, or one epoch repository) to import and then poll; repeat for several lists")
	followEvery := fs.Duration("follow-every", 5*time.Minute, "how often to poll the --follow archives (git fetch first when they have a remote)")
	budget := fs.Duration("check-budget", 10*time.Second, "time budget for the checks of one message; past it the message is stored with a note")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	// A bad --kernel-version or --tree is a usage error, refused as check
	// and ingest refuse it.
	if _, err := checker.Options(*kv, *tree); err != nil {
		fmt.Fprintf(e.stderr, "patchreview serve: %v\n", err)
		return 2
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	if err := serve(ctx, log, serveConfig{addr: *addr, db: *db, maxUpload: *maxUpload, insecure: *insecure,
		worker: !*noWorker, kernelVersion: *kv, tree: *tree, secret: e.getenv("PATCHREVIEW_WEBHOOK_SECRET"),
		private: *private, behindProxy: *behindProxy, drain: *drain, smtp: *smtpURL, sendmail: *sendmail,
		follow: follow, followEvery: *followEvery, checkBudget: *budget}); err != nil {
		log.Error("serve", "error", err)
		return 1
	}
	return 0
}

type serveConfig struct {
	addr, db, secret, kernelVersion, tree string
	smtp, sendmail                        string
	maxUpload                             int64
	insecure, worker                      bool
	private, behindProxy                  bool
	drain                                 time.Duration
	follow                                []string
	followEvery, checkBudget              time.Duration
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func serve(ctx context.Context, log *slog.Logger, cfg serveConfig) error {
	checker, err := checker.New(cfg.kernelVersion, cfg.tree)
	if err != nil {
		return err
	}
	store, err := storage.Open(ctx, cfg.db, storage.Options{Checker: checker, CheckBudget: cfg.checkBudget})
	if err != nil {
		return err
	}
	defer store.Close()
	kick := make(chan struct{}, 1)
	mailer, err := web.NewMailer(cfg.smtp, cfg.sendmail)
	if err != nil {
		return err
	}
	srv, err := web.NewServer(store, log, web.Options{MaxUpload: cfg.maxUpload, WebhookSecret: cfg.secret,
		InsecureHook: cfg.insecure, Kick: kick, Private: cfg.private, BehindProxy: cfg.behindProxy, Mailer: mailer})
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
	if n, err := store.CountUsers(ctx); err == nil && n == 0 {
		log.Warn("no accounts yet: nobody can comment or upload; run 'patchreview user add --admin NAME EMAIL'")
	}
	sending := "off: replies are downloaded (.eml) or opened with mailto:"
	if mailer != nil {
		sending = mailer.String()
	}
	log.Info("patchreview serving", "url", "http://"+ln.Addr().String()+"/", "db", cfg.db, "webhook", webhook, "worker", cfg.worker, "send", sending)
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
		// Stop accepting, let in-flight requests finish for cfg.drain, then
		// stop uploads between two messages (they answer 503 with what they
		// stored) and give them a little longer to say so.
		log.Info("shutting down: draining requests", "grace", cfg.drain)
		t := time.AfterFunc(cfg.drain, srv.Drain)
		defer t.Stop()
		shut, c := context.WithTimeout(context.Background(), cfg.drain+10*time.Second)
		defer c()
		if err = hs.Shutdown(shut); errors.Is(err, context.DeadlineExceeded) {
			log.Error("requests still running after the drain; closing their connections")
			err = hs.Close()
		}
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
