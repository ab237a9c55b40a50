package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestRequestIDEchoedWhenSane(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	sane := "abc-123_x.y:z"
	r := jsonRequest(http.MethodPost, "/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
	r.Header.Set("X-Request-ID", sane)
	rec := hs.do(r)
	if got := rec.Header().Get("X-Request-ID"); got != sane {
		t.Fatalf("X-Request-ID = %q", got)
	}
	if got := hs.f.seenRequestID(); got != sane {
		t.Errorf("use case context carried %q", got)
	}
	line := hs.logs.FilterMessage("request").All()
	if len(line) != 1 || line[0].ContextMap()["request_id"] != sane {
		t.Errorf("access log = %v", line)
	}
}

func TestRequestIDGeneratedWhenMissingOrInsane(t *testing.T) {
	for _, sent := range []string{"", "has space", "semi;colon", "new\nline", strings.Repeat("a", 129), "ünïcode"} {
		hs := newHarness(t, bodyOpts())
		r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		if sent != "" {
			r.Header.Set("X-Request-ID", sent)
		}
		got := hs.do(r).Header().Get("X-Request-ID")
		if _, err := uuid.Parse(got); err != nil || got == sent {
			t.Errorf("sent %q, got %q", sent, got)
		}
	}
	// 128 characters is still sane.
	hs := newHarness(t, bodyOpts())
	r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	r.Header.Set("X-Request-ID", strings.Repeat("a", 128))
	if got := hs.do(r).Header().Get("X-Request-ID"); got != strings.Repeat("a", 128) {
		t.Errorf("128-char id replaced by %q", got)
	}
}

var securityHeaders = map[string]string{
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Content-Security-Policy":      "default-src 'none'; frame-ancestors 'none'",
	"Referrer-Policy":              "no-referrer",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	requests := []*http.Request{
		httptest.NewRequest(http.MethodGet, "/healthz", nil),
		httptest.NewRequest(http.MethodGet, "/nowhere", nil),
		httptest.NewRequest(http.MethodPut, "/v1/auth/login", nil),
		httptest.NewRequest(http.MethodGet, "/v1/auth/me", nil),
		jsonRequest(http.MethodPost, "/v1/auth/login", `{"email":"a@b.c","password":"p"}`),
	}
	for _, env := range []string{"development", "production"} {
		opts := bodyOpts()
		opts.Env = env
		hs := newHarness(t, opts)
		for _, r := range requests {
			rec := hs.do(r.Clone(r.Context()))
			for k, v := range securityHeaders {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s %s %s: %s = %q", env, r.Method, r.URL.Path, k, got)
				}
			}
			hsts := rec.Header().Get("Strict-Transport-Security")
			if env == "production" && hsts != "max-age=31536000; includeSubDomains" {
				t.Errorf("production HSTS = %q", hsts)
			}
			if env != "production" && hsts != "" {
				t.Errorf("development sent HSTS %q", hsts)
			}
			if rec.Header().Get("X-Request-ID") == "" || !hasVary(rec, "Origin") {
				t.Errorf("%s %s: missing X-Request-ID or Vary: Origin", r.Method, r.URL.Path)
			}
		}
	}
}

func hasVary(rec *httptest.ResponseRecorder, v string) bool {
	for _, h := range rec.Header().Values("Vary") {
		if strings.EqualFold(h, v) {
			return true
		}
	}
	return false
}

func TestUnknownRouteIsNotFoundProblem(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	for _, path := range []string{"/nowhere", "/v1/auth/me/", "/v1/auth/sessions/a/b"} {
		rec := hs.do(httptest.NewRequest(http.MethodGet, path, nil))
		expectProblem(t, rec, http.StatusNotFound, "not_found")
		if rec.Header().Get("Location") != "" {
			t.Errorf("%s redirected", path)
		}
	}
}

func TestWrongMethodIsNotAllowedWithAllow(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	cases := map[string]struct{ method, allow string }{
		"/v1/auth/login":    {http.MethodGet, "POST"},
		"/healthz":          {http.MethodPost, "GET, HEAD"},
		"/v1/auth/sessions": {http.MethodPut, "GET, DELETE"},
	}
	for path, tc := range cases {
		rec := hs.do(httptest.NewRequest(tc.method, path, nil))
		expectProblem(t, rec, http.StatusMethodNotAllowed, "method_not_allowed")
		allow := strings.Split(rec.Header().Get("Allow"), ", ")
		want := strings.Split(tc.allow, ", ")
		if !sameSet(allow, want) {
			t.Errorf("%s %s: Allow = %q, want %q", tc.method, path, rec.Header().Get("Allow"), tc.allow)
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, s := range a {
		m[s] = true
	}
	for _, s := range b {
		if !m[s] {
			return false
		}
	}
	return true
}

func TestCacheControlOnAuthRoutesOnly(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	if cc := hs.do(httptest.NewRequest(http.MethodGet, "/v1/auth/nothing", nil)).Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("404 under /v1/auth: Cache-Control = %q", cc)
	}
	if cc := hs.do(httptest.NewRequest(http.MethodGet, "/healthz", nil)).Header().Get("Cache-Control"); cc != "" {
		t.Errorf("healthz: Cache-Control = %q", cc)
	}
}

// TestAccessLogLine: one line, the route pattern instead of the URL, and
// nothing of the credentials.
func TestAccessLogLine(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	r := httptest.NewRequest(http.MethodDelete, "/v1/auth/sessions/"+testSessionID+"?secret=q", nil)
	r.Header.Set("Authorization", "Bearer "+goodToken)
	r.Header.Set("Cookie", "__Secure-authd_refresh=cookie-secret")
	r.Header.Set("X-Request-ID", "log-1")
	hs.do(r)

	lines := hs.logs.FilterMessage("request").All()
	if len(lines) != 1 {
		t.Fatalf("%d access log lines", len(lines))
	}
	f := lines[0].ContextMap()
	if f["request_id"] != "log-1" || f["method"] != "DELETE" || f["route"] != "/v1/auth/sessions/:id" ||
		f["status"] != int64(204) || f["client_ip"] != "192.0.2.1" || f["bytes"] != int64(0) {
		t.Errorf("fields = %v", f)
	}
	if _, ok := f["latency"]; !ok {
		t.Error("no latency")
	}
	for _, e := range hs.logs.All() {
		for k, v := range e.ContextMap() {
			s, _ := v.(string)
			if strings.Contains(s, goodToken) || strings.Contains(s, "cookie-secret") || strings.Contains(s, "secret=q") {
				t.Errorf("log field %s leaks %q", k, s)
			}
		}
	}
}

func TestAccessLogNamesUnmatchedRoutes(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.do(httptest.NewRequest(http.MethodGet, "/etc/passwd", nil))
	f := hs.logs.FilterMessage("request").All()[0].ContextMap()
	if f["route"] != "unmatched" || f["status"] != int64(404) {
		t.Errorf("fields = %v", f)
	}
}
