package e2e

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/authd/authd/adapters/refreshtoken"
	"github.com/authd/authd/adapters/token"
)

func TestProbes(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	for _, path := range []string{"/healthz", "/readyz"} {
		r := s.do(t, http.MethodGet, path, nil)
		r.wantStatus(t, http.StatusOK)
		if string(r.Body) != `{"status":"ok"}` {
			t.Errorf("%s body %s, want {\"status\":\"ok\"}", path, r.Body)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s Content-Type %q", path, ct)
		}
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	paths := []string{"/healthz", "/v1/auth/me", "/no/such/route"}
	for _, path := range paths {
		r := s.do(t, http.MethodGet, path, nil, header("X-Request-ID", "trace-42.a:b_c"))
		if got := r.Header.Get("X-Request-ID"); got != "trace-42.a:b_c" {
			t.Errorf("%s: X-Request-ID %q, want the client's trace-42.a:b_c", path, got)
		}
		first := s.do(t, http.MethodGet, path, nil).Header.Get("X-Request-ID")
		second := s.do(t, http.MethodGet, path, nil).Header.Get("X-Request-ID")
		if first == "" || first == second {
			t.Errorf("%s: generated request ids %q and %q, want two distinct ids", path, first, second)
		}
		for _, insane := range []string{"has spaces in it", strings.Repeat("x", 129), "<script>", "a\"b"} {
			got := s.do(t, http.MethodGet, path, nil, header("X-Request-ID", insane)).Header.Get("X-Request-ID")
			if got == insane || got == "" {
				t.Errorf("%s: insane X-Request-ID %q answered with %q, want a generated one", path, insane, got)
			}
		}
	}
}

// securityHeaders are the headers every response carries, with their values.
var securityHeaders = map[string]string{
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Content-Security-Policy":      "default-src 'none'; frame-ancestors 'none'",
	"Referrer-Policy":              "no-referrer",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
}

// sampleResponses exercises one response of each kind.
func sampleResponses(t *testing.T, s *server) map[string]response {
	t.Helper()
	a := s.signup(t, "quincy@example.com")
	return map[string]response{
		"healthz":         s.do(t, http.MethodGet, "/healthz", nil),
		"jwks":            s.do(t, http.MethodGet, "/.well-known/jwks.json", nil),
		"login 200":       s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": a.Email, "password": a.Password}),
		"login 401":       s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": a.Email, "password": "wrong-password"}),
		"refresh 200":     s.refresh(t, a.RefreshToken),
		"me 200":          s.me(t, a.AccessToken),
		"me 401":          s.me(t, "nope"),
		"sessions 200":    s.do(t, http.MethodGet, "/v1/auth/sessions", nil, bearer(a.AccessToken)),
		"signup 400":      s.do(t, http.MethodPost, "/v1/auth/signup", map[string]any{}),
		"logout 204":      s.do(t, http.MethodPost, "/v1/auth/logout", nil),
		"unknown 404":     s.do(t, http.MethodGet, "/nope", nil),
		"auth 404":        s.do(t, http.MethodGet, "/v1/auth/nope", nil),
		"wrong method":    s.do(t, http.MethodGet, "/v1/auth/login", nil),
		"unsupported 415": s.doRaw(t, http.MethodPost, "/v1/auth/login", "text/plain", strings.NewReader("x")),
	}
}

func TestSecurityAndCacheHeaders(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	for name, r := range sampleResponses(t, s) {
		for h, want := range securityHeaders {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", name, h, got, want)
			}
		}
		if hsts := r.Header.Get("Strict-Transport-Security"); hsts != "" {
			t.Errorf("%s: HSTS %q outside production", name, hsts)
		}
		// Everything under /v1/auth/ must never be cached.
		if strings.HasPrefix(name, "healthz") || strings.HasPrefix(name, "jwks") || strings.HasPrefix(name, "unknown") {
			continue
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", name, cc)
		}
	}
}

func TestProductionAddsHSTS(t *testing.T) {
	t.Parallel()
	// Production generates no keys: provision them as an operator would.
	dir := t.TempDir()
	if _, err := token.GenerateKey(dir, "EdDSA"); err != nil {
		t.Fatal(err)
	}
	if _, err := refreshtoken.LoadOrCreateKey(dir, true); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, map[string]string{"AUTHD_ENV": "production", envKeysDir: dir})
	for name, r := range sampleResponses(t, s) {
		if got := r.Header.Get("Strict-Transport-Security"); got != "max-age=31536000; includeSubDomains" {
			t.Errorf("%s: Strict-Transport-Security %q in production", name, got)
		}
		for h, want := range securityHeaders {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", name, h, got, want)
			}
		}
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	for _, path := range []string{"/nope", "/v1/auth/nope", "/v1/auth/login/", "/V1/AUTH/LOGIN"} {
		s.do(t, http.MethodGet, path, nil).wantProblem(t, http.StatusNotFound, "not_found")
	}

	cases := []struct {
		method, path string
		allow        []string
	}{
		{http.MethodGet, "/v1/auth/login", []string{"POST"}},
		{http.MethodPut, "/v1/auth/signup", []string{"POST"}},
		{http.MethodPost, "/v1/auth/me", []string{"GET"}},
		{http.MethodPatch, "/v1/auth/sessions", []string{"GET", "DELETE"}},
		{http.MethodPost, "/healthz", []string{"GET"}},
		{http.MethodDelete, "/.well-known/jwks.json", []string{"GET"}},
	}
	for _, c := range cases {
		r := s.do(t, c.method, c.path, nil)
		r.wantProblem(t, http.StatusMethodNotAllowed, "method_not_allowed")
		allow := strings.Split(strings.ReplaceAll(strings.Join(r.Header.Values("Allow"), ","), " ", ""), ",")
		for _, m := range c.allow {
			if !slices.Contains(allow, m) {
				t.Errorf("%s %s: Allow %q lacks %s", c.method, c.path, r.Header.Values("Allow"), m)
			}
		}
		if slices.Contains(allow, c.method) {
			t.Errorf("%s %s: Allow %q lists the refused method", c.method, c.path, r.Header.Values("Allow"))
		}
	}
}
