package httpapi

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap/zapcore"
)

// wantQuota is the quota each route pattern spends under limitedOpts.
func wantQuota(route string) (name string, policy string) {
	switch route {
	case "/v1/auth/login":
		return "login", `"login";q=20;w=60`
	case "/v1/auth/signup":
		return "signup", `"signup";q=10;w=3600`
	case "/v1/auth/refresh":
		return "refresh", `"refresh";q=60;w=60`
	}
	return "default", `"default";q=300;w=60`
}

// TestRateLimitOnEveryRoute walks every registered route (so a route added
// later is covered too), plus an unknown path and a wrong method: each
// answer, error or not, carries both fields, and spends exactly one hit of
// the right quota keyed by the client IP. The probes spend nothing.
func TestRateLimitOnEveryRoute(t *testing.T) {
	l := newFakeLimiter()
	hs := newHarness(t, limitedOpts(l))
	type call struct{ method, route string }
	calls := []call{{http.MethodGet, "/nowhere"}, {http.MethodPut, "/v1/auth/login"}}
	for _, r := range hs.h.(*gin.Engine).Routes() {
		calls = append(calls, call{r.Method, r.Path})
	}
	for _, tc := range calls {
		path := strings.ReplaceAll(tc.route, ":id", testSessionID)
		hits := l.hitCount()
		rec := hs.do(httptest.NewRequest(tc.method, path, nil))
		if tc.route == "/healthz" || tc.route == "/readyz" {
			if l.hitCount() != hits || rec.Header().Get("RateLimit") != "" || rec.Header().Get("RateLimit-Policy") != "" {
				t.Errorf("%s %s: probe was limited", tc.method, path)
			}
			continue
		}
		route := tc.route
		if tc.route == "/nowhere" || tc.method == http.MethodPut {
			route = "" // no route matched
		}
		name, policy := wantQuota(route)
		if got := rec.Header().Get("RateLimit-Policy"); got != policy {
			t.Errorf("%s %s (%d): RateLimit-Policy = %q, want %q", tc.method, path, rec.Code, got, policy)
		}
		// The fake's window resets in 41.2 s: t rounds up.
		if got := rec.Header().Get("RateLimit"); !strings.HasPrefix(got, `"`+name+`";r=`) || !strings.HasSuffix(got, ";t=42") {
			t.Errorf("%s %s (%d): RateLimit = %q", tc.method, path, rec.Code, got)
		}
		if l.hitCount() != hits+1 {
			t.Errorf("%s %s: %d hits, want 1", tc.method, path, l.hitCount()-hits)
			continue
		}
		if hit := l.lastHit(t); hit.quota.Name != name || hit.key != name+":192.0.2.1" {
			t.Errorf("%s %s: hit %+v", tc.method, path, hit)
		}
	}
	if l.peeks != 0 {
		t.Errorf("Peek called %d times; the middleware must count", l.peeks)
	}
}

func TestRateLimitRemainingCountsDown(t *testing.T) {
	l := newFakeLimiter()
	hs := newHarness(t, limitedOpts(l))
	for _, want := range []string{`"login";r=19;t=42`, `"login";r=18;t=42`} {
		rec := hs.post("/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
		if rec.Code != http.StatusOK || rec.Header().Get("RateLimit") != want {
			t.Fatalf("%d RateLimit = %q, want %q", rec.Code, rec.Header().Get("RateLimit"), want)
		}
	}
}

// TestRateLimitExceeded: over the limit is 429 rate_limited with
// Retry-After, the handler does not run, and other IPs and other quotas
// keep their own budgets.
func TestRateLimitExceeded(t *testing.T) {
	l := newFakeLimiter()
	opts := limitedOpts(l)
	opts.RateLimits.Login.Limit = 2
	hs := newHarness(t, opts)
	login := func(peer string) *httptest.ResponseRecorder {
		r := jsonRequest(http.MethodPost, "/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
		r.RemoteAddr = peer
		return hs.do(r)
	}
	for range 2 {
		if rec := login("203.0.113.9:1000"); rec.Code != http.StatusOK {
			t.Fatalf("within the limit: %d", rec.Code)
		}
	}
	logins := hs.f.login.calls()
	rec := login("203.0.113.9:1001")
	p := expectProblem(t, rec, http.StatusTooManyRequests, "rate_limited")
	if p.Detail == "" || rec.Header().Get("Retry-After") != "42" {
		t.Errorf("detail %q, Retry-After %q", p.Detail, rec.Header().Get("Retry-After"))
	}
	if rec.Header().Get("RateLimit") != `"login";r=0;t=42` || rec.Header().Get("RateLimit-Policy") != `"login";q=2;w=60` {
		t.Errorf("RateLimit %q, Policy %q", rec.Header().Get("RateLimit"), rec.Header().Get("RateLimit-Policy"))
	}
	if hs.f.login.calls() != logins {
		t.Error("a limited request reached the use case")
	}
	if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("X-Request-ID") == "" {
		t.Error("the 429 lost the standard headers")
	}
	if rec := login("198.51.100.7:1000"); rec.Code != http.StatusOK {
		t.Errorf("another IP was limited: %d", rec.Code)
	}
	r := jsonRequest(http.MethodPost, "/v1/auth/signup", `{"email":"a@b.c","password":"p","fullName":"A"}`)
	r.RemoteAddr = "203.0.113.9:1002"
	if rec := hs.do(r); rec.Code != http.StatusCreated {
		t.Errorf("signup spent the login budget: %d", rec.Code)
	}
}

func TestRateLimitRetryAfterIsAtLeastOneSecond(t *testing.T) {
	for resetIn, want := range map[time.Duration][2]string{
		0:                      {"1", "0"},
		300 * time.Millisecond: {"1", "1"},
		59 * time.Second:       {"59", "59"},
	} {
		l := newFakeLimiter()
		l.resetIn = resetIn
		opts := limitedOpts(l)
		opts.RateLimits.Default.Limit = 1
		hs := newHarness(t, opts)
		hs.do(httptest.NewRequest(http.MethodGet, "/nowhere", nil))
		rec := hs.do(httptest.NewRequest(http.MethodGet, "/nowhere", nil))
		expectProblem(t, rec, http.StatusTooManyRequests, "rate_limited")
		if rec.Header().Get("Retry-After") != want[0] || rec.Header().Get("RateLimit") != `"default";r=0;t=`+want[1] {
			t.Errorf("reset in %v: Retry-After %q, RateLimit %q", resetIn, rec.Header().Get("Retry-After"), rec.Header().Get("RateLimit"))
		}
	}
}

func TestRateLimitsDisabled(t *testing.T) {
	l := newFakeLimiter()
	opts := limitedOpts(l)
	opts.RateLimits.Enabled = false
	opts.RateLimits.Login.Limit = 1
	hs := newHarness(t, opts)
	for range 3 {
		rec := hs.post("/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
		if rec.Code != http.StatusOK || rec.Header().Get("RateLimit") != "" || rec.Header().Get("RateLimit-Policy") != "" {
			t.Fatalf("%d, headers %v", rec.Code, rec.Header())
		}
	}
	if l.hitCount() != 0 {
		t.Errorf("disabled limiter was hit %d times", l.hitCount())
	}
	// Disabled needs no limiter at all.
	if _, err := NewHandler(bodyOpts(), hs.f.useCases(), okProbes(), nil); err != nil {
		t.Errorf("NewHandler without limiter: %v", err)
	}
}

// TestRateLimiterErrorLetsRequestsThrough: a limiter outage is logged once
// at warn and never becomes an error answer.
func TestRateLimiterErrorLetsRequestsThrough(t *testing.T) {
	l := newFakeLimiter()
	l.err = errors.New("redis: connection refused")
	hs := newHarness(t, limitedOpts(l))
	r := jsonRequest(http.MethodPost, "/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
	r.Header.Set("X-Request-ID", "rl-1")
	rec := hs.do(r)
	if rec.Code != http.StatusOK || !hs.f.called("Login") {
		t.Fatalf("status %d, login called %v", rec.Code, hs.f.called("Login"))
	}
	if rec.Header().Get("RateLimit-Policy") != `"login";q=20;w=60` || rec.Header().Get("RateLimit") != "" {
		t.Errorf("Policy %q, RateLimit %q", rec.Header().Get("RateLimit-Policy"), rec.Header().Get("RateLimit"))
	}
	warned := hs.logs.FilterMessage("rate limiter failed; request let through").All()
	if len(warned) != 1 || warned[0].Level != zapcore.WarnLevel {
		t.Fatalf("warnings = %v", warned)
	}
	if f := warned[0].ContextMap(); f["quota"] != "login" || f["request_id"] != "rl-1" || f["error"] != l.err.Error() {
		t.Errorf("fields = %v", f)
	}
	if hs.logs.FilterMessage("request failed").Len() != 0 {
		t.Error("a limiter outage was logged as a failed request")
	}
}

// TestRateLimitKeyIsTheTrustedClientIP: behind a trusted proxy the budget
// belongs to the forwarded client; a spoofed header from anyone else is
// ignored.
func TestRateLimitKeyIsTheTrustedClientIP(t *testing.T) {
	cases := []struct{ peer, xff, key string }{
		{"10.0.0.5:4000", "198.51.100.7", "refresh:198.51.100.7"},
		{"203.0.113.9:4000", "198.51.100.7", "refresh:203.0.113.9"},
	}
	for _, tc := range cases {
		l := newFakeLimiter()
		opts := limitedOpts(l)
		opts.TrustedProxies = []string{"10.0.0.0/8"}
		hs := newHarness(t, opts)
		r := jsonRequest(http.MethodPost, "/v1/auth/refresh", `{"refreshToken":"t"}`)
		r.RemoteAddr, r.Header["X-Forwarded-For"] = tc.peer, []string{tc.xff}
		hs.do(r)
		if got := l.lastHit(t).key; got != tc.key {
			t.Errorf("peer %s: key %q, want %q", tc.peer, got, tc.key)
		}
	}
}

// TestRateLimitedAnswerIsReadableCrossOrigin: the limiter runs after CORS,
// so an allowed origin can read the 429 and its fields, and preflights are
// not counted.
func TestRateLimitedAnswerIsReadableCrossOrigin(t *testing.T) {
	l := newFakeLimiter()
	opts := limitedOpts(l)
	opts.AllowedOrigins = []string{"https://app.example"}
	opts.RateLimits.Login.Limit = 1
	hs := newHarness(t, opts)
	pre := httptest.NewRequest(http.MethodOptions, "/v1/auth/login", nil)
	pre.Header.Set("Origin", "https://app.example")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	if rec := hs.do(pre); rec.Code != http.StatusNoContent || l.hitCount() != 0 {
		t.Fatalf("preflight: %d, %d hits", rec.Code, l.hitCount())
	}
	var rec *httptest.ResponseRecorder
	for range 2 {
		r := jsonRequest(http.MethodPost, "/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
		r.Header.Set("Origin", "https://app.example")
		rec = hs.do(r)
	}
	expectProblem(t, rec, http.StatusTooManyRequests, "rate_limited")
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example" ||
		!strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "RateLimit-Policy") {
		t.Errorf("CORS headers = %v", rec.Header())
	}
}

func TestNewHandlerRefusesBadRateLimits(t *testing.T) {
	l := newFakeLimiter()
	cases := map[string]func(*RateLimits){
		"no limiter":        func(r *RateLimits) { r.Limiter = nil },
		"swapped quotas":    func(r *RateLimits) { r.Login.Name = "signup" },
		"zero limit":        func(r *RateLimits) { r.Refresh.Limit = 0 },
		"sub-second window": func(r *RateLimits) { r.Default.Window = 500 * time.Millisecond },
	}
	for name, breakIt := range cases {
		opts := limitedOpts(l)
		breakIt(&opts.RateLimits)
		f := newFakes(t)
		h, err := NewHandler(opts, f.useCases(), okProbes(), nil)
		if err == nil || h != nil || !strings.Contains(err.Error(), "rate limit") {
			t.Errorf("%s: handler %v, err %v", name, h, err)
		}
	}
	// Correct explicit names are accepted.
	opts := limitedOpts(l)
	opts.RateLimits.Login.Name, opts.RateLimits.Default.Name = "login", "default"
	if _, err := NewHandler(opts, newFakes(t).useCases(), okProbes(), nil); err != nil {
		t.Errorf("explicit names refused: %v", err)
	}
}
