package web

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"patchreview/review"
	"patchreview/storage"
)

// nilfsPagevecFixture is one real thread of the linux-nilfs archive (origin in
// testdata/nilfs-pagevec-v2.ORIGIN.md): a v2 0/4 series and 15 replies
// that give trailers.
const (
	nilfsPagevecFixture = "testdata/nilfs-pagevec-v2.mbox"
	nilfsCover          = "20260225-pagevec_cleanup-v2-0-716868cc2d11@columbia.edu"
)

// clientEnv is an environment for b4, git and git-pw that reads its
// configuration from a fresh HOME and can reach nothing but 127.0.0.1:
// every other host goes to a proxy on a closed port.
func clientEnv(t *testing.T, gitconfig string) []string {
	t.Helper()
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(gitconfig), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"GIT_CONFIG_NOSYSTEM=1", "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "PAGER=cat", "GIT_PAGER=cat",
		"HTTP_PROXY=http://127.0.0.1:9", "HTTPS_PROXY=http://127.0.0.1:9", "http_proxy=http://127.0.0.1:9",
		"https_proxy=http://127.0.0.1:9", "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1", "TZ=UTC"}
	return env
}

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (Debian package %q; .ci/run installs it): %v", tool, tool, err)
		}
	}
}

// run runs a client with a deadline and fails the test with its output
// when it fails.
func run(t *testing.T, env []string, dir string, stdin []byte, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.Dir = env, dir
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

var trailerLine = regexp.MustCompile(`^[A-Za-z0-9-]+-by: `)

// sortTrailerBlocks sorts each run of consecutive "X-by:" lines: b4
// collects follow-up trailers in the order its thread walk meets the
// replies, which differs between a fetched thread and a local mbox.
func sortTrailerBlocks(s string) string {
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && trailerLine.MatchString(lines[j]) {
			j++
		}
		if j > i {
			sort.Strings(lines[i:j])
			i = j
		} else {
			i++
		}
	}
	return strings.Join(lines, "\n")
}

// readDir maps the files b4 wrote to their contents.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// TestB4AgainstServer drives Debian's b4 against the public-inbox face:
// `b4 am <msgid>` of a real nilfs series fetched from the server writes
// the same cover and the same am-ready mbox, with the same trailers, as
// `b4 am` on the local copy of the thread; both midmask forms work (/all/
// and /<list>/ with b4's HEAD redirect lookup); `b4 mbox` gets the whole
// thread.
func TestB4AgainstServer(t *testing.T) {
	need(t, "b4", "git")
	s, st := newTestServer(t, Options{})
	mbox := readFixture(t, nilfsPagevecFixture)
	if _, err := st.IngestBytes(context.Background(), mbox, "test", nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler()) // listens on 127.0.0.1
	defer srv.Close()

	base := "[user]\n\tname = Test\n\temail = test@example.org\n[b4]\n\tattestation-policy = off\n"
	local := t.TempDir()
	run(t, clientEnv(t, base+"\tmidmask = http://127.0.0.1:9/all/%s\n"), local, mbox, "b4", "am", "-C", "-m", "-", "-o", local)
	want := readDir(t, local)
	if len(want) != 2 {
		t.Fatalf("b4 am on the local thread wrote %d files, want a cover and an mbx: %v", len(want), slices.Collect(mapKeys(want)))
	}
	for name, text := range want {
		if strings.HasSuffix(name, ".mbx") {
			for _, tr := range []string{"Reviewed-by: Jan Kara <jack@suse.cz>", "Acked-by: Zi Yan <ziy@nvidia.com>", "Acked-by: Chris Li <chrisl@kernel.org>"} {
				if !strings.Contains(text, tr) {
					t.Fatalf("the local b4 am lacks %q: the fixture is not what the test expects", tr)
				}
			}
		}
	}

	for _, midmask := range []string{srv.URL + "/all/%s", srv.URL + "/linux-nilfs/%s"} {
		t.Run(strings.TrimPrefix(midmask, srv.URL), func(t *testing.T) {
			out := t.TempDir()
			log := run(t, clientEnv(t, base+"\tmidmask = "+midmask+"\n"), out, nil, "b4", "am", "-C", "-o", out, nilfsCover)
			got := readDir(t, out)
			if !slices.Equal(slices.Sorted(mapKeys(got)), slices.Sorted(mapKeys(want))) {
				t.Fatalf("b4 am via the server wrote %v, locally %v\n%s", slices.Sorted(mapKeys(got)), slices.Sorted(mapKeys(want)), log)
			}
			for name, w := range want {
				if sortTrailerBlocks(got[name]) != sortTrailerBlocks(w) {
					t.Errorf("%s differs between b4 am via the server and on the local thread", name)
				}
			}
		})
	}

	t.Run("mbox", func(t *testing.T) {
		out := t.TempDir()
		run(t, clientEnv(t, base+"\tmidmask = "+srv.URL+"/all/%s\n"), out, nil, "b4", "mbox", "-C", "-o", out, nilfsCover)
		got := readDir(t, out)
		if len(got) != 1 {
			t.Fatalf("b4 mbox wrote %v", slices.Collect(mapKeys(got)))
		}
		var gotIDs, wantIDs []string
		for _, text := range got {
			review.SplitMbox(strings.NewReader(text), func(raw []byte) error {
				gotIDs = append(gotIDs, review.ReadMessageID(raw))
				return nil
			})
		}
		review.SplitMbox(bytes.NewReader(mbox), func(raw []byte) error {
			wantIDs = append(wantIDs, review.ReadMessageID(raw))
			return nil
		})
		slices.Sort(gotIDs)
		slices.Sort(wantIDs)
		if !slices.Equal(gotIDs, wantIDs) {
			t.Errorf("b4 mbox got %d messages %v, want the thread's %d", len(gotIDs), gotIDs, len(wantIDs))
		}
	})
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestGitPwAgainstServer drives Debian's git-pw against the patchwork
// face: a series made with git format-patch is ingested; `git-pw series
// list` shows it, `git-pw series apply` applies it to a repository created
// here (the tree then equals the author's), and `git-pw patch update
// --state accepted` with a token sets a state that the series page shows.
func TestGitPwAgainstServer(t *testing.T) {
	need(t, "git-pw", "git")
	s, st := newTestServer(t, Options{})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	ctx := context.Background()
	token, err := makeToken(ctx, st, "Mai Ntainer", "maint@example.org")
	if err != nil {
		t.Fatal(err)
	}
	env := clientEnv(t, "[user]\n\tname = Ann Author\n\temail = ann@example.org\n[init]\n\tdefaultBranch = main\n")

	// The author's repository: a base commit and two patches on it.
	author := t.TempDir()
	run(t, env, author, nil, "git", "init", "-q")
	write := func(dir, name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(author, "aops.c", "int shadowfs_writepage(struct page *page)\n{\n\treturn 0;\n}\n")
	run(t, env, author, nil, "git", "add", ".")
	run(t, env, author, nil, "git", "commit", "-qm", "shadowfs: base")
	write(author, "aops.c", "int shadowfs_writepage(struct page *page)\n{\n\tunlock_page(page);\n\treturn 0;\n}\n")
	run(t, env, author, nil, "git", "commit", "-qam", "shadowfs: unlock the page in writepage")
	write(author, "helper.c", "int helper(void)\n{\n\treturn 1;\n}\n")
	run(t, env, author, nil, "git", "add", ".")
	run(t, env, author, nil, "git", "commit", "-qm", "shadowfs: add a helper")
	out := t.TempDir()
	run(t, env, author, nil, "git", "format-patch", "-q", "--cover-letter", "--thread", "-o", out, "HEAD~2")
	files, _ := filepath.Glob(filepath.Join(out, "*.patch"))
	if len(files) != 3 {
		t.Fatalf("format-patch wrote %v", files)
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		b = bytes.Replace(b, []byte("*** SUBJECT HERE ***"), []byte("shadowfs: writepage fixes"), 1)
		// As the list delivers it: with its List-Id (after the From_ line).
		b = bytes.Replace(b, []byte("\n"), []byte("\nList-Id: <linux-nilfs.vger.kernel.org>\n"), 1)
		if _, err := st.IngestBytes(ctx, b, "test", nil); err != nil {
			t.Fatal(err)
		}
	}
	list, err := st.ListSeries(ctx, storage.SeriesFilter{})
	if err != nil || len(list) != 1 || list[0].Patches != 2 {
		t.Fatalf("ingested series: %+v, %v", list, err)
	}
	seriesID := itoa(int(list[0].ID))

	// The maintainer's repository: at the base commit, pointed at us.
	maint := t.TempDir()
	run(t, env, maint, nil, "git", "clone", "-q", author, ".")
	run(t, env, maint, nil, "git", "reset", "-q", "--hard", "HEAD~2")
	for _, kv := range [][2]string{{"pw.server", srv.URL + "/api/1.2"}, {"pw.project", "linux-nilfs"}, {"pw.token", token}} {
		run(t, env, maint, nil, "git", "config", kv[0], kv[1])
	}

	if got := run(t, env, maint, nil, "git-pw", "series", "list"); !strings.Contains(got, "shadowfs: writepage fixes") {
		t.Errorf("git-pw series list does not show the series:\n%s", got)
	}
	run(t, env, maint, nil, "git-pw", "series", "apply", seriesID)
	if got := run(t, env, maint, nil, "git", "log", "--format=%s", "-3"); got != "shadowfs: add a helper\nshadowfs: unlock the page in writepage\nshadowfs: base\n" {
		t.Errorf("after git-pw series apply, the log is\n%s", got)
	}
	if diff := run(t, env, maint, nil, "git", "diff", "--stat", "HEAD", "origin/HEAD"); diff != "" {
		t.Errorf("the applied tree differs from the author's:\n%s", diff)
	}

	ps, err := st.PWPatches(ctx, storage.PWPatchFilter{SeriesID: list[0].ID, Limit: 10})
	if err != nil || len(ps) != 2 {
		t.Fatalf("patches: %v, %v", ps, err)
	}
	patchID := itoa(int(ps[1].ID))
	if got := run(t, env, maint, nil, "git-pw", "patch", "update", "--state", "accepted", patchID); !strings.Contains(got, "accepted") {
		t.Errorf("git-pw patch update answered\n%s", got)
	}
	page := get(t, s, "/series/"+seriesID).Body.String()
	if !strings.Contains(page, `<td class="pw-state">accepted</td>`) || !strings.Contains(page, `<td class="pw-state">new</td>`) {
		t.Errorf("the series page does not show patch %s accepted and the other new:\n%s", patchID, page)
	}
	if got := run(t, env, maint, nil, "git-pw", "patch", "list", "--state", "accepted"); !strings.Contains(got, "shadowfs: add a helper") || strings.Contains(got, "unlock the page") {
		t.Errorf("git-pw patch list --state accepted:\n%s", got)
	}

	// A revoked or mistyped token: git-pw fails and prints the face's
	// {"detail"} (the middleware's 401, in patchwork's format).
	run(t, env, maint, nil, "git", "config", "pw.token", "prt_revoked")
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git-pw", "patch", "update", "--state", "rejected", patchID)
	cmd.Env, cmd.Dir = env, maint
	msg, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(msg), "unknown or revoked API token") {
		t.Errorf("git-pw with a bad token: %v\n%s", err, msg)
	}
}

// TestB4FindsNewerRevisionThroughSearch drives Debian's b4 through the
// public-inbox search: `b4 am -c <a v1 patch>` asks the searchmask for
// newer revisions with (s:"…" AND f:"…") AND d:… and t=1, gets the v2
// thread from the full-text search, and applies v2; under /all/ and
// under the list's own prefix.
func TestB4FindsNewerRevisionThroughSearch(t *testing.T) {
	need(t, "b4", "git")
	s, st := newTestServer(t, Options{})
	if _, err := st.IngestBytes(context.Background(), withListID(readFixture(t, fixture), "shadow.example.org"), "test", nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, list := range []string{"all", "shadow"} {
		t.Run(list, func(t *testing.T) {
			out := t.TempDir()
			conf := "[user]\n\tname = Test\n\temail = test@example.org\n[b4]\n\tattestation-policy = off\n" +
				"\tmidmask = " + srv.URL + "/" + list + "/%s\n\tsearchmask = " + srv.URL + "/" + list + "/?x=m&t=1&q=%s\n"
			log := run(t, clientEnv(t, conf), out, nil, "b4", "am", "-c", "-o", out, "20260105090000.1-ravi@example.org")
			if !strings.Contains(log, "Added from v2: 3 patches") || !strings.Contains(log, "Will use the latest revision: v2") {
				t.Fatalf("b4 am -c did not find v2 through the search:\n%s", log)
			}
			var mbx string
			for name, text := range readDir(t, out) {
				if strings.HasSuffix(name, ".mbx") {
					mbx = text
				}
			}
			if !strings.Contains(mbx, "Subject: [PATCH v2 2/2] shadowfs: implement ->writepage") {
				t.Errorf("b4 am -c wrote no v2 mbox:\n%s\n%s", log, mbx)
			}
		})
	}
}
