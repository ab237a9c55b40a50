package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The JWKS is cacheable for the configured time and answers a matching
// conditional request with 304.
func TestJWKSCaching(t *testing.T) {
	opts := bodyOpts()
	opts.JWKSMaxAge = 90 * time.Second
	hs := newHarness(t, opts)
	get := func(ifNoneMatch ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/.well-known/jwks.json", nil)
		for _, v := range ifNoneMatch {
			r.Header.Add("If-None-Match", v)
		}
		return hs.do(r)
	}
	first := get()
	etag := first.Header().Get("ETag")
	if first.Code != http.StatusOK || first.Header().Get("Cache-Control") != "public, max-age=90" || len(etag) < 3 || etag[0] != '"' {
		t.Fatalf("%d, Cache-Control %q, ETag %q", first.Code, first.Header().Get("Cache-Control"), etag)
	}
	for _, match := range [][]string{{etag}, {"W/" + etag}, {`"other", ` + etag}, {`"other"`, etag}, {"*"}} {
		rec := get(match...)
		if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag ||
			rec.Header().Get("Cache-Control") != "public, max-age=90" {
			t.Errorf("If-None-Match %q: %d %q, body %q", match, rec.Code, rec.Header().Get("ETag"), rec.Body)
		}
	}
	if rec := get(`"stale"`); rec.Code != http.StatusOK || rec.Body.String() != first.Body.String() {
		t.Errorf("a stale ETag got %d", rec.Code)
	}
	if rec := newHarness(t, bodyOpts()).do(httptest.NewRequest(http.MethodGet, "/.well-known/jwks.json", nil)); rec.Header().Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("default Cache-Control %q, want max-age=300", rec.Header().Get("Cache-Control"))
	}
}
