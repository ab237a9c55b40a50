package e2e

import (
	"net/http"
	"strings"
	"testing"
)

const allowedOrigin = "https://app.example.com"

func TestOriginGuardWithCookieTransport(t *testing.T) {
	t.Parallel()
	s := startServer(t, map[string]string{transportKey: cookieOnly, originsKey: allowedOrigin})
	r := s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("gale@example.com"))
	a := r.tokens(t, http.StatusCreated)
	c := r.refreshCookie(t, secureCookie)
	login := map[string]any{"email": "gale@example.com", "password": defaultPassword}

	requests := []struct {
		name string
		send func(opts ...reqOption) response
	}{
		{"signup", func(opts ...reqOption) response {
			return s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("hugo@example.com"), opts...)
		}},
		{"login", func(opts ...reqOption) response {
			return s.do(t, http.MethodPost, "/v1/auth/login", login, opts...)
		}},
		{"refresh", func(opts ...reqOption) response {
			return s.doRaw(t, http.MethodPost, "/v1/auth/refresh", "", nil, append(opts, sendCookie(c.Name, c.Value))...)
		}},
		{"logout", func(opts ...reqOption) response {
			return s.doRaw(t, http.MethodPost, "/v1/auth/logout", "", nil, append(opts, sendCookie(c.Name, c.Value))...)
		}},
	}
	foreign := []string{
		"https://evil.example",
		"null",
		"https://app.example.com.evil.example",
		"http://app.example.com", // the scheme is part of the origin
	}
	for _, req := range requests {
		for _, origin := range foreign {
			t.Run(req.name+" from "+origin, func(t *testing.T) {
				r := req.send(header("Origin", origin))
				r.wantProblem(t, http.StatusForbidden, "origin_not_allowed")
				if r.Header.Get("Access-Control-Allow-Origin") != "" {
					t.Errorf("refused origin got CORS headers")
				}
			})
		}
	}
	// None of the refused requests reached a use case: no account, the
	// session still alive on its original cookie.
	s.meUser(t, a.AccessToken)
	s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": "hugo@example.com", "password": defaultPassword}).
		wantProblem(t, http.StatusUnauthorized, "invalid_credentials")

	// The allow-listed origin and the server's own origin pass.
	r = s.do(t, http.MethodPost, "/v1/auth/login", login, header("Origin", allowedOrigin))
	r.tokens(t, http.StatusOK)
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != allowedOrigin {
		t.Errorf("Access-Control-Allow-Origin %q, want %q", got, allowedOrigin)
	}
	s.do(t, http.MethodPost, "/v1/auth/login", login, header("Origin", s.URL)).tokens(t, http.StatusOK)
	r = s.doRaw(t, http.MethodPost, "/v1/auth/refresh", "", nil, sendCookie(c.Name, c.Value), header("Origin", allowedOrigin))
	r.tokens(t, http.StatusOK)
}

func TestCORS(t *testing.T) {
	t.Parallel()
	s := startServer(t, map[string]string{originsKey: allowedOrigin})
	vary := func(r response) string { return strings.Join(r.Header.Values("Vary"), ", ") }

	r := s.do(t, http.MethodGet, "/healthz", nil, header("Origin", allowedOrigin))
	r.wantStatus(t, http.StatusOK)
	if r.Header.Get("Access-Control-Allow-Origin") != allowedOrigin || r.Header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("allowed origin: ACAO %q ACAC %q", r.Header.Get("Access-Control-Allow-Origin"), r.Header.Get("Access-Control-Allow-Credentials"))
	}
	for _, opts := range [][]reqOption{{header("Origin", "https://evil.example")}, nil} {
		r = s.do(t, http.MethodGet, "/healthz", nil, opts...)
		r.wantStatus(t, http.StatusOK)
		for name := range r.Header {
			if strings.HasPrefix(name, "Access-Control-") {
				t.Errorf("a response to a foreign or absent origin carries %s", name)
			}
		}
		if !strings.Contains(vary(r), "Origin") {
			t.Errorf("Vary %q does not name Origin", vary(r))
		}
	}

	preflight := func(origin string) response {
		return s.doRaw(t, http.MethodOptions, "/v1/auth/login", "", nil, header("Origin", origin),
			header("Access-Control-Request-Method", "POST"),
			header("Access-Control-Request-Headers", "content-type"))
	}
	r = preflight(allowedOrigin)
	r.wantStatus(t, http.StatusNoContent)
	methods := r.Header.Get("Access-Control-Allow-Methods")
	headers := strings.ToLower(r.Header.Get("Access-Control-Allow-Headers"))
	if r.Header.Get("Access-Control-Allow-Origin") != allowedOrigin || !strings.Contains(methods, "POST") ||
		!strings.Contains(headers, "content-type") || !strings.Contains(headers, "authorization") {
		t.Errorf("preflight answer: ACAO %q methods %q headers %q", r.Header.Get("Access-Control-Allow-Origin"), methods, headers)
	}
	r = preflight("https://evil.example")
	r.wantStatus(t, http.StatusForbidden)
	if r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("refused preflight carries Access-Control-Allow-Origin")
	}
}
