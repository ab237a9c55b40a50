package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

const allowedOrigin = "https://app.example.com"

func corsOpts() Options {
	o := bodyOpts()
	o.AllowedOrigins = []string{allowedOrigin}
	return o
}

func TestCORSAllowedOrigin(t *testing.T) {
	hs := newHarness(t, corsOpts())
	r := jsonRequest(http.MethodPost, "/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
	r.Header.Set("Origin", allowedOrigin)
	rec := hs.do(r)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	if rec.Header().Get("Access-Control-Allow-Origin") != allowedOrigin ||
		rec.Header().Get("Access-Control-Allow-Credentials") != "true" || !hasVary(rec, "Origin") {
		t.Errorf("headers = %v", rec.Header())
	}
}

func TestCORSDisallowedOriginGetsNothing(t *testing.T) {
	hs := newHarness(t, corsOpts())
	r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	r.Header.Set("Origin", "https://evil.example")
	rec := hs.do(r)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	for k := range rec.Header() {
		if len(k) > 12 && k[:12] == "Access-Contr" {
			t.Errorf("disallowed origin got %s", k)
		}
	}
	if !hasVary(rec, "Origin") {
		t.Error("no Vary: Origin")
	}
}

func preflight(origin string) *http.Request {
	r := httptest.NewRequest(http.MethodOptions, "/v1/auth/login", nil)
	r.Header.Set("Origin", origin)
	r.Header.Set("Access-Control-Request-Method", "POST")
	r.Header.Set("Access-Control-Request-Headers", "content-type")
	return r
}

func TestCORSPreflightAllowed(t *testing.T) {
	hs := newHarness(t, corsOpts())
	rec := hs.do(preflight(allowedOrigin))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	want := map[string]string{
		"Access-Control-Allow-Origin":      allowedOrigin,
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Allow-Methods":     "GET, POST, PATCH, DELETE",
		"Access-Control-Allow-Headers":     "Authorization, Content-Type, X-Request-ID",
		"Access-Control-Max-Age":           "600",
		"Cache-Control":                    "no-store",
	}
	for k, v := range want {
		if got := rec.Header().Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if hs.f.called("Login") {
		t.Error("a preflight reached the use case")
	}
}

func TestCORSPreflightDisallowed(t *testing.T) {
	hs := newHarness(t, corsOpts())
	rec := hs.do(preflight("https://evil.example"))
	expectProblem(t, rec, http.StatusForbidden, "origin_not_allowed")
	if rec.Header().Get("Access-Control-Allow-Origin") != "" || rec.Header().Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("refused preflight carries CORS headers: %v", rec.Header())
	}
}

func TestPlainOptionsIsRoutedNormally(t *testing.T) {
	hs := newHarness(t, corsOpts())
	rec := hs.do(httptest.NewRequest(http.MethodOptions, "/v1/auth/login", nil))
	expectProblem(t, rec, http.StatusMethodNotAllowed, "method_not_allowed")
}

// TestOriginGuard: with the cookie transport on, the credential endpoints
// refuse foreign origins before any use case runs.
func TestOriginGuard(t *testing.T) {
	cases := []struct {
		name, transport, origin string
		refused                 bool
	}{
		{"foreign origin, cookie", "cookie", "https://evil.example", true},
		{"foreign origin, both", "both", "https://evil.example", true},
		{"opaque origin", "both", "null", true},
		{"same host, other port", "both", "https://api.example.com:8443", true},
		{"own origin", "both", "https://api.example.com", false},
		{"own origin with default port in Host", "both", "https://api.example.com", false},
		{"allow-listed", "cookie", allowedOrigin, false},
		{"no origin", "cookie", "", false},
		{"foreign origin, body transport", "body", "https://evil.example", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := corsOpts()
			opts.RefreshTransport = tc.transport
			for _, path := range []string{"/v1/auth/signup", "/v1/auth/login", "/v1/auth/refresh", "/v1/auth/logout"} {
				hs := newHarness(t, opts)
				r := jsonRequest(http.MethodPost, path, guardBodies[path])
				r.AddCookie(&http.Cookie{Name: secureCookieName, Value: "t"})
				r.Host = "api.example.com"
				if tc.name == "own origin with default port in Host" {
					r.Host = "api.example.com:443"
				}
				if tc.origin != "" {
					r.Header.Set("Origin", tc.origin)
				}
				rec := hs.do(r)
				if tc.refused {
					expectProblem(t, rec, http.StatusForbidden, "origin_not_allowed")
					if calls := hs.f.calls(); len(calls) != 0 {
						t.Errorf("%s: use case called: %v", path, calls)
					}
				} else if rec.Code >= 400 || len(hs.f.calls()) != 1 {
					t.Errorf("%s: status %d: %s", path, rec.Code, rec.Body)
				}
			}
		})
	}
}

var guardBodies = map[string]string{
	"/v1/auth/signup":  `{"email":"a@b.c","password":"p","fullName":"A"}`,
	"/v1/auth/login":   `{"email":"a@b.c","password":"p"}`,
	"/v1/auth/refresh": `{"refreshToken":"t"}`,
	"/v1/auth/logout":  `{"refreshToken":"t"}`,
}
