// Package pi is the public-inbox face of patchreview: the URLs that b4 and
// lei fetch from a public-inbox server (lore.kernel.org), so that
//
//	git config b4.midmask http://HOST/all/%s
//
// makes `b4 am <msgid>` and `b4 mbox <msgid>` fetch from this instance.
//
// Under a list's prefix (/<list>/ and /all/) it serves:
//
//	<msgid>            302 to <msgid>/ (b4 HEADs this for a non-/all/ midmask)
//	<msgid>/           302 to the patch, series or raw page of the message
//	<msgid>/raw        the raw mail, text/plain
//	<msgid>/t.mbox.gz  the whole thread as gzipped mboxrd
//	?q=…&x=m           search results as gzipped mboxrd (GET or POST)
//	new.atom           the newest messages as Atom
package pi

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"patchreview/review"
	"patchreview/storage"
	"patchreview/web/feeds"
	"patchreview/web/httpx"
)

// MaxThread bounds the messages of one t.mbox.gz or search answer.
const MaxThread = 2000

// Handler serves one list's public-inbox URLs under "/<Name>".
type Handler struct {
	Store *storage.Store
	Name  string // the list's name in URLs: "all", a List-Id or its short name
	List  string // the list messages carry (message_lists); "" for all lists
	Log   *slog.Logger
}

// MidEscape escapes a Message-ID for a URL path as public-inbox's
// mid_escape does: everything outside RFC 3986's pchar set is
// percent-encoded ('/' and '%' included, '@' not).
func MidEscape(mid string) string {
	var b strings.Builder
	for i := 0; i < len(mid); i++ {
		c := mid[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// ServeHTTP dispatches on the path below the list prefix. It reads the
// escaped path itself: a Message-ID may hold '/' (as %2F).
// Errors are answered in plain text (httpx.Text) by httpx.Fail.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpx.Handler(h.Log, httpx.Text, h.serve)(w, r)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) error {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/"+h.Name)
	if !ok {
		return httpx.Errorf(http.StatusNotFound, "not under /%s", h.Name)
	}
	rest = strings.TrimPrefix(rest, "/")
	if rest == "" {
		return h.serveSearch(w, r)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		return httpx.Errorf(http.StatusMethodNotAllowed, "%s is not allowed here; only the search (?x=m) takes POST", r.Method)
	}
	if rest == "new.atom" {
		return h.serveAtom(w, r)
	}
	seg, tail, _ := strings.Cut(rest, "/")
	mid, err := url.PathUnescape(seg)
	mid = strings.TrimSuffix(strings.TrimPrefix(mid, "<"), ">")
	if err != nil || mid == "" {
		return httpx.Errorf(http.StatusBadRequest, "bad Message-ID in the path %q", seg)
	}
	m, err := h.Store.MessageByMessageID(r.Context(), mid)
	if err != nil {
		return err
	}
	if h.List != "" {
		in, err := h.Store.MessageInList(r.Context(), m.ID, h.List)
		if err != nil {
			return err
		}
		if !in {
			return httpx.Errorf(http.StatusNotFound, "message <%s> did not come through %s; /all/ has every list", mid, h.Name)
		}
	}
	base := httpx.BaseURL(r) + "/" + h.Name + "/" + MidEscape(mid) + "/"
	switch {
	case !strings.Contains(rest, "/"):
		// b4 HEADs <midmask> and takes the list URL from Location: it must
		// be absolute.
		http.Redirect(w, r, base, http.StatusFound)
	case tail == "", tail == "T/", tail == "t/":
		http.Redirect(w, r, pageOf(m), http.StatusFound)
	case tail == "raw":
		raw, err := h.Store.MessageRaw(r.Context(), m.ID)
		if err != nil {
			return err
		}
		dups, err := h.Store.Duplicates(r.Context(), m.ID)
		if err != nil {
			return err
		}
		if len(dups) > 0 {
			// Several mails with this Message-ID: all of them, as an
			// mbox, as public-inbox answers.
			raws := [][]byte{raw}
			for _, d := range dups {
				dr, err := h.Store.MessageRaw(r.Context(), d)
				if err != nil {
					return err
				}
				raws = append(raws, dr)
			}
			var mbox bytes.Buffer
			if err := review.WriteMbox(&mbox, raws); err != nil {
				return err
			}
			raw = mbox.Bytes()
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, err = w.Write(raw)
		return err
	case tail == "t.mbox.gz":
		thread, err := h.Store.Thread(r.Context(), mid, MaxThread)
		if err != nil {
			return err
		}
		if h.List != "" {
			// As the list's own archive holds it: its messages only.
			kept := thread[:0]
			for _, t := range thread {
				in, err := h.Store.MessageInList(r.Context(), t.ID, h.List)
				if err != nil {
					return err
				}
				if in {
					kept = append(kept, t)
				}
			}
			thread = kept
		}
		return h.writeMboxGz(w, r, "t.mbox.gz", thread)
	default:
		return httpx.Errorf(http.StatusNotFound, "no %q for a message; there are raw and t.mbox.gz", tail)
	}
	return nil
}

// pageOf is the page that shows a message best.
func pageOf(m storage.FaceMessage) string {
	switch {
	case m.PatchID != 0:
		return fmt.Sprintf("/patches/%d", m.PatchID)
	case m.Kind == "cover" || m.Kind == "pull":
		if m.SeriesID != 0 {
			return fmt.Sprintf("/series/%d", m.SeriesID)
		}
	}
	return fmt.Sprintf("/messages/%d/raw", m.ID)
}

// serveSearch answers /<list>/?q=…&x=m with the matching messages as
// gzipped mboxrd (404 when none match, as public-inbox does); without
// x=m it sends a browser to the series list's search.
func (h *Handler) serveSearch(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if q.Get("x") != "m" {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			return httpx.Errorf(http.StatusMethodNotAllowed, "POST is for the mbox search: add ?x=m")
		}
		to := "/?q=" + url.QueryEscape(q.Get("q"))
		if h.List != "" {
			to += "&list=" + url.QueryEscape(h.List)
		}
		http.Redirect(w, r, to, http.StatusFound)
		return nil
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, HEAD, POST")
		return httpx.Errorf(http.StatusMethodNotAllowed, "%s is not allowed on the search", r.Method)
	}
	query := strings.TrimSpace(q.Get("q"))
	if query == "" {
		return httpx.Errorf(http.StatusBadRequest, "the search needs a query: ?q=…&x=m")
	}
	// t=1 (b4's searchmask sends it): whole threads of the matches.
	msgs, err := h.Store.FaceSearch(r.Context(), query, h.List, q.Get("t") == "1", MaxThread)
	if err != nil {
		return err // review.ErrInvalid, a bad query, is a 400 (httpx.StatusOf)
	}
	if len(msgs) == 0 {
		return httpx.Errorf(http.StatusNotFound, "no messages match %s", query)
	}
	return h.writeMboxGz(w, r, "results-"+h.Name+".mbox.gz", msgs)
}

func (h *Handler) writeMboxGz(w http.ResponseWriter, r *http.Request, name string, msgs []storage.FaceMessage) error {
	raws := make([][]byte, 0, len(msgs))
	for _, m := range msgs {
		raw, err := h.Store.MessageRaw(r.Context(), m.ID)
		if err != nil {
			return err
		}
		raws = append(raws, raw)
	}
	var mbox bytes.Buffer
	if err := review.WriteMbox(&mbox, raws); err != nil {
		return err
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(mbox.Bytes())
	if err := zw.Close(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", "inline; filename="+name)
	_, err := gz.WriteTo(w)
	return err
}

// serveAtom lists the newest 25 messages, as public-inbox's new.atom.
func (h *Handler) serveAtom(w http.ResponseWriter, r *http.Request) error {
	msgs, err := h.Store.RecentMessages(r.Context(), h.List, 25)
	if err != nil {
		return err
	}
	base := httpx.BaseURL(r) + "/" + h.Name + "/"
	f := feeds.Feed{Title: h.Name, ID: base + "new.atom",
		Links: []feeds.Link{{Href: base + "new.atom", Rel: "self"}, {Href: base}}}
	for _, m := range msgs {
		u := base + MidEscape(m.MessageID) + "/"
		f.Entries = append(f.Entries, feeds.Entry{Title: m.Subject, ID: "urn:message-id:" + m.MessageID, Updated: feeds.Time(m.Date),
			Author: &feeds.Person{Name: m.From.Name, Email: m.From.Email}, Links: []feeds.Link{{Href: u}}})
	}
	return feeds.Write(w, f)
}
