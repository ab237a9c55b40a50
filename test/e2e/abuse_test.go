package e2e

import (
	"maps"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/test/redistest"
)

// limitedEnv turns rate limiting on, every per-IP quota generous, and then
// applies overrides: each test tightens only the quota it is about.
func limitedEnv(overrides map[string]string) map[string]string {
	env := map[string]string{
		"AUTHD_RATELIMIT_ENABLED":        "true",
		"AUTHD_RATELIMIT_LOGIN_PER_IP":   "1000/1m",
		"AUTHD_RATELIMIT_SIGNUP_PER_IP":  "1000/1h",
		"AUTHD_RATELIMIT_REFRESH_PER_IP": "1000/1m",
		"AUTHD_RATELIMIT_DEFAULT_PER_IP": "1000/1m",
	}
	maps.Copy(env, overrides)
	return env
}

// rateLimitField matches the RateLimit field of draft-ietf-httpapi-ratelimit-headers.
var rateLimitField = regexp.MustCompile(`^"([a-z]+)";r=(\d+);t=(\d+)$`)

// wantRateLimit checks the RateLimit-Policy and RateLimit fields of a
// response of a limited route and returns the remaining quota r and the
// seconds t until the window resets.
func (r response) wantRateLimit(t testing.TB, name string, quota int, window time.Duration) (remaining, reset int) {
	t.Helper()
	wantPolicy := `"` + name + `";q=` + strconv.Itoa(quota) + ";w=" + strconv.Itoa(int(window/time.Second))
	if got := r.Header.Get("RateLimit-Policy"); got != wantPolicy {
		t.Fatalf("RateLimit-Policy %q, want %q", got, wantPolicy)
	}
	m := rateLimitField.FindStringSubmatch(r.Header.Get("RateLimit"))
	if m == nil || m[1] != name {
		t.Fatalf("RateLimit %q, want %q;r=N;t=T", r.Header.Get("RateLimit"), `"`+name+`"`)
	}
	remaining, _ = strconv.Atoi(m[2])
	reset, _ = strconv.Atoi(m[3])
	if reset < 0 || reset > int(window/time.Second) {
		t.Fatalf("RateLimit t=%d outside the %s window", reset, window)
	}
	return remaining, reset
}

// retryAfterSeconds returns the Retry-After of a response as whole seconds,
// requiring it to be at least 1.
func (r response) retryAfterSeconds(t testing.TB) int {
	t.Helper()
	n, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Fatalf("Retry-After %q, want whole seconds >= 1", r.Header.Get("Retry-After"))
	}
	return n
}

// badLogin sends a login that cannot succeed: the address has no account.
func (s *server) badLogin(t testing.TB, opts ...reqOption) response {
	t.Helper()
	body := map[string]any{"email": "nobody@example.com", "password": defaultPassword}
	return s.do(t, http.MethodPost, "/v1/auth/login", body, opts...)
}

func TestLoginRateLimitPerIP(t *testing.T) {
	t.Parallel()
	s := startServer(t, limitedEnv(map[string]string{"AUTHD_RATELIMIT_LOGIN_PER_IP": "3/1m"}))

	for want := 2; want >= 0; want-- {
		r := s.badLogin(t)
		r.wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
		if got, _ := r.wantRateLimit(t, "login", 3, time.Minute); got != want {
			t.Fatalf("RateLimit r=%d, want %d", got, want)
		}
	}
	r := s.badLogin(t)
	r.wantProblem(t, http.StatusTooManyRequests, "rate_limited")
	r.retryAfterSeconds(t)
	if got, _ := r.wantRateLimit(t, "login", 3, time.Minute); got != 0 {
		t.Fatalf("RateLimit r=%d on the refused request, want 0", got)
	}

	// The refusal holds for a login that would succeed, and the probes are
	// never limited.
	s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": "x@example.com", "password": "whatever-it-is"}).
		wantProblem(t, http.StatusTooManyRequests, "rate_limited")
	for range 5 {
		h := s.do(t, http.MethodGet, "/healthz", nil)
		h.wantStatus(t, http.StatusOK)
		if h.Header.Get("RateLimit-Policy") != "" || h.Header.Get("RateLimit") != "" {
			t.Fatalf("/healthz carries rate-limit fields: %v", h.Header)
		}
	}
}

func TestSignupAndRefreshQuotasAreNamed(t *testing.T) {
	t.Parallel()
	s := startServer(t, limitedEnv(map[string]string{
		"AUTHD_RATELIMIT_SIGNUP_PER_IP":  "2/1h",
		"AUTHD_RATELIMIT_REFRESH_PER_IP": "2/1m",
	}))

	first := s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("lena@example.com"))
	first.wantStatus(t, http.StatusCreated)
	if r, _ := first.wantRateLimit(t, "signup", 2, time.Hour); r != 1 {
		t.Fatalf("signup RateLimit r=%d, want 1", r)
	}
	s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("mona@example.com")).wantStatus(t, http.StatusCreated)
	third := s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("nina@example.com"))
	third.wantProblem(t, http.StatusTooManyRequests, "rate_limited")
	third.retryAfterSeconds(t)

	var tr tokenResponse
	first.decode(t, &tr)
	r1 := s.refresh(t, tr.RefreshToken)
	if r, _ := r1.wantRateLimit(t, "refresh", 2, time.Minute); r != 1 {
		t.Fatalf("refresh RateLimit r=%d, want 1", r)
	}
	next := r1.tokens(t, http.StatusOK)
	r2 := s.refresh(t, next.RefreshToken)
	if r, _ := r2.wantRateLimit(t, "refresh", 2, time.Minute); r != 0 {
		t.Fatalf("refresh RateLimit r=%d, want 0", r)
	}
	last := r2.tokens(t, http.StatusOK)
	refused := s.refresh(t, last.RefreshToken)
	refused.wantProblem(t, http.StatusTooManyRequests, "rate_limited")
	refused.retryAfterSeconds(t)

	// Other routes spend the default quota, not these.
	me := s.me(t, last.AccessToken)
	me.wantStatus(t, http.StatusOK)
	me.wantRateLimit(t, "default", 1000, time.Minute)
}

// TestLoginLockoutPerEmail runs on a manual clock, which the in-process
// limiter reads like the use cases do: the lock ends when the clock is
// moved past its window, without waiting for it.
func TestLoginLockoutPerEmail(t *testing.T) {
	t.Parallel()
	const window = 15 * time.Minute
	clock := system.NewManualClock(time.Now().Truncate(time.Second))
	s := startServer(t, limitedEnv(map[string]string{
		"AUTHD_LOCKOUT_MAX_FAILURES": "3",
		"AUTHD_LOCKOUT_WINDOW":       window.String(),
	}), withClock(clock))
	a := s.signup(t, "olga@example.com")
	wrong := map[string]any{"email": a.Email, "password": "not-the-Password-42"}
	right := map[string]any{"email": a.Email, "password": a.Password}

	for range 3 {
		s.do(t, http.MethodPost, "/v1/auth/login", wrong).wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	locked := s.do(t, http.MethodPost, "/v1/auth/login", right)
	locked.wantProblem(t, http.StatusTooManyRequests, "too_many_attempts")
	// The clock has not moved since the first failure: the whole window is left.
	if ra := locked.retryAfterSeconds(t); ra != int(window/time.Second) {
		t.Fatalf("Retry-After %d, want the whole %s lockout window", ra, window)
	}
	// Whatever the case or spacing of the address, it is the same account.
	s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": "  OLGA@example.com ", "password": a.Password}).
		wantProblem(t, http.StatusTooManyRequests, "too_many_attempts")

	// An unknown address locks the same way, so the lockout reveals nothing.
	ghost := map[string]any{"email": "ghost@example.com", "password": defaultPassword}
	for range 3 {
		s.do(t, http.MethodPost, "/v1/auth/login", ghost).wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	s.do(t, http.MethodPost, "/v1/auth/login", ghost).wantProblem(t, http.StatusTooManyRequests, "too_many_attempts")

	// Another address is not affected.
	b := s.signup(t, "petra@example.com")
	s.login(t, b.Email, b.Password)

	// The lock holds until the last second of its window...
	clock.Advance(window - time.Second)
	still := s.do(t, http.MethodPost, "/v1/auth/login", right)
	still.wantProblem(t, http.StatusTooManyRequests, "too_many_attempts")
	if ra := still.retryAfterSeconds(t); ra != 1 {
		t.Fatalf("Retry-After %d a second before the window ends, want 1", ra)
	}
	// ...and ends with it, for a client that waits as long as told.
	clock.Advance(time.Duration(still.retryAfterSeconds(t)) * time.Second)
	s.login(t, a.Email, a.Password)
}

func TestRateLimitSharedAcrossInstancesThroughRedis(t *testing.T) {
	t.Parallel()
	redisURL := redistest.Start(t).URL()
	env := limitedEnv(map[string]string{
		"AUTHD_RATELIMIT_REDIS_URL":    redisURL,
		"AUTHD_RATELIMIT_LOGIN_PER_IP": "4/1m",
	})
	a := startServer(t, env)
	b := startServer(t, env)

	wantRemaining := 3
	for _, s := range []*server{a, a, b, b} {
		r := s.badLogin(t)
		r.wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
		if got, _ := r.wantRateLimit(t, "login", 4, time.Minute); got != wantRemaining {
			t.Fatalf("RateLimit r=%d, want %d: the budget is not shared", got, wantRemaining)
		}
		wantRemaining--
	}
	for _, s := range []*server{a, b} {
		r := s.badLogin(t)
		r.wantProblem(t, http.StatusTooManyRequests, "rate_limited")
		r.retryAfterSeconds(t)
	}
	ready := a.do(t, http.MethodGet, "/readyz", nil)
	ready.wantStatus(t, http.StatusOK)
	if got := readyCheck(t, ready, "ratelimit"); got != "ok" {
		t.Fatalf("checks.ratelimit %q with Redis up, want ok", got)
	}
}

func TestUnreachableRedisDegradesToInProcessLimits(t *testing.T) {
	t.Parallel()
	s := startServer(t, limitedEnv(map[string]string{
		"AUTHD_RATELIMIT_REDIS_URL":    "redis://" + closedAddr(t) + "/0",
		"AUTHD_RATELIMIT_LOGIN_PER_IP": "3/1m",
	}))

	for range 3 {
		s.badLogin(t).wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	ready := s.do(t, http.MethodGet, "/readyz", nil)
	ready.wantStatus(t, http.StatusOK)
	if got := readyCheck(t, ready, "ratelimit"); !strings.HasPrefix(got, "degraded") {
		t.Fatalf("checks.ratelimit %q, want it to start with degraded", got)
	}
	assertNoInternals(t, ready.Body)
	r := s.badLogin(t)
	r.wantProblem(t, http.StatusTooManyRequests, "rate_limited")
	r.retryAfterSeconds(t)
}

func TestForwardedForFromUntrustedPeerIsIgnored(t *testing.T) {
	t.Parallel()
	s := startServer(t, limitedEnv(map[string]string{"AUTHD_RATELIMIT_LOGIN_PER_IP": "3/1m"}))
	for i := range 3 {
		spoof := "203.0.113." + strconv.Itoa(i+1)
		s.badLogin(t, header("X-Forwarded-For", spoof), header("X-Real-IP", spoof)).
			wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	s.badLogin(t, header("X-Forwarded-For", "198.51.100.7"), header("X-Real-IP", "198.51.100.7")).
		wantProblem(t, http.StatusTooManyRequests, "rate_limited")
}

// readyCheck returns one member of the checks object of a /readyz body.
func readyCheck(t testing.TB, r response, name string) string {
	t.Helper()
	var body struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	r.decode(t, &body)
	if body.Status != "ok" {
		t.Fatalf("/readyz status %q, want ok; body: %s", body.Status, r.Body)
	}
	v, ok := body.Checks[name]
	if !ok {
		t.Fatalf("/readyz has no checks.%s; body: %s", name, r.Body)
	}
	return v
}

// closedAddr returns a loopback address on which nothing listens: a port
// that was free a moment ago.
func closedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatalf("close listener: %v", err)
	}
	return addr
}
