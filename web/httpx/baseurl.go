package httpx

import (
	"context"
	"net/http"
	"regexp"
	"strings"
)

type ctxKey int

const baseKey ctxKey = 0

// BaseURLs returns middleware that decides each request's base URL once,
// for BaseURL. behindProxy (serve --behind-proxy) says a TLS-terminating
// reverse proxy is in front: only then are X-Forwarded-Proto and
// X-Forwarded-Host believed (their last value, the one the nearest proxy
// set), and without X-Forwarded-Proto the scheme is https. Otherwise
// those headers are ignored, so that a client cannot make the server
// write links to a host of its choosing: the scheme is https on TLS and
// http otherwise, and the host is the request's Host.
func BaseURLs(behindProxy bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := context.WithValue(r.Context(), baseKey, baseURL(r, behindProxy))
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// BaseURL is the scheme and host of the absolute links written in the
// answer to r (feeds, the patchwork face's URLs and Link headers, the
// public-inbox face's redirects, invite links), as BaseURLs decided; on a
// request that did not pass BaseURLs, forwarded headers are not believed.
func BaseURL(r *http.Request) string {
	if b, ok := r.Context().Value(baseKey).(string); ok {
		return b
	}
	return baseURL(r, false)
}

// forwardedHost is a host[:port] fit to write into a URL.
var forwardedHost = regexp.MustCompile(`^([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)

func baseURL(r *http.Request, behindProxy bool) string {
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if behindProxy {
		scheme = "https"
		if p := lastValue(r.Header.Values("X-Forwarded-Proto")); p == "http" || p == "https" {
			scheme = p
		}
		if h := lastValue(r.Header.Values("X-Forwarded-Host")); forwardedHost.MatchString(h) {
			host = h
		}
	}
	return scheme + "://" + strings.TrimSuffix(host, "/")
}

// lastValue is the last of a header's comma-separated values, lower-cased
// and trimmed.
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
