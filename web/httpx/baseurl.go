package httpx

import (
	"context"
	"net"
	"net/http"
	"regexp"
	"strings"
)

type ctxKey int

const originKey ctxKey = 0

// origin is what a request's forwarded headers are believed to say.
type origin struct {
	scheme, host string // of the absolute links written in the answer
	client       string // the client's address, for rate limiting
}

// Forwarded returns middleware that decides, once per request and in this
// one place, how far the forwarded headers are believed: for BaseURL, for
// HTTPS (Secure cookies) and for ClientAddr (rate limiting). behindProxy
// (serve --behind-proxy) says a TLS-terminating reverse proxy is in
// front: only then are X-Forwarded-Proto, X-Forwarded-Host and
// X-Forwarded-For believed, each by its last value over all its header
// lines (the one the nearest proxy set or appended), and without
// X-Forwarded-Proto the scheme is https. Otherwise those headers are
// ignored: the scheme is https on TLS and http otherwise, the host is the
// request's Host and the client is the connection's address.
//
// The links then go back to the client that asked, at the host it asked
// for (a client chooses Host, and behind a proxy X-Forwarded-Host unless
// the proxy sets or removes it); the risk of a forged one is a shared
// cache that keeps the answer for others.
func Forwarded(behindProxy bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			o := originOf(r, behindProxy)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), originKey, &o)))
		})
	}
}

// from is the origin Forwarded decided for r; on a request that did not
// pass Forwarded, forwarded headers are not believed.
func from(r *http.Request) origin {
	if o, ok := r.Context().Value(originKey).(*origin); ok {
		return *o
	}
	return originOf(r, false)
}

// BaseURL is the scheme and host of the absolute links written in the
// answer to r (feeds, the patchwork face's URLs and Link headers, the
// public-inbox face's redirects, invite links), as Forwarded decided.
func BaseURL(r *http.Request) string {
	o := from(r)
	return o.scheme + "://" + o.host
}

// HTTPS says whether the request's scheme, as Forwarded decided it (the
// scheme of BaseURL), is https: cookies are Secure exactly then.
func HTTPS(r *http.Request) bool { return from(r).scheme == "https" }

// ClientAddr names the client of r for rate limiting, as Forwarded
// decided: the connection's IP address, or behind a proxy the last
// address of X-Forwarded-For (the one the nearest proxy appended, on its
// own header line or on the client's).
func ClientAddr(r *http.Request) string { return from(r).client }

// forwardedHost is a host[:port] fit to write into a URL.
var forwardedHost = regexp.MustCompile(`^([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)

func originOf(r *http.Request, behindProxy bool) origin {
	o := origin{scheme: "http", host: r.Host, client: r.RemoteAddr}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		o.client = host
	}
	if r.TLS != nil {
		o.scheme = "https"
	}
	if behindProxy {
		o.scheme = "https"
		if p := lastValue(r.Header.Values("X-Forwarded-Proto")); p == "http" || p == "https" {
			o.scheme = p
		}
		if h := lastValue(r.Header.Values("X-Forwarded-Host")); forwardedHost.MatchString(h) {
			o.host = h
		}
		if c := lastValue(r.Header.Values("X-Forwarded-For")); c != "" {
			o.client = c
		}
	}
	return o
}

// lastValue is the last of a header's comma-separated values over all its
// lines, lower-cased and trimmed.
func lastValue(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	v := vs[len(vs)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.ToLower(strings.TrimSpace(v))
}
