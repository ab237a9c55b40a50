package e2e

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"
)

const (
	secureCookie   = "__Secure-authd_refresh"
	insecureCookie = "authd_refresh"
	cookieOnly     = "cookie"
	transportKey   = "AUTHD_AUTH_REFRESH_TOKEN_TRANSPORT"
	originsKey     = "AUTHD_CORS_ALLOWED_ORIGINS"
	week           = 7 * 24 * time.Hour
)

// refreshCookie returns the refresh cookie a response set, failing the
// test if there is none.
func (r response) refreshCookie(t *testing.T, name string) *http.Cookie {
	t.Helper()
	c := r.cookie(name)
	if c == nil {
		t.Fatalf("no %s cookie set; Set-Cookie: %q", name, r.Header.Values("Set-Cookie"))
	}
	return c
}

// setCookieLine returns the raw Set-Cookie line for name.
func (r response) setCookieLine(name string) string {
	for _, line := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(line, name+"=") {
			return line
		}
	}
	return ""
}

func sendCookie(name, value string) reqOption {
	return withCookie(&http.Cookie{Name: name, Value: value})
}

func TestCookieTransport(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := startServer(t, map[string]string{transportKey: cookieOnly}, withClock(clock))

	r := s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("cody@example.com"))
	r.wantStatus(t, http.StatusCreated)
	if _, ok := r.object(t)["refreshToken"]; ok {
		t.Errorf("cookie transport: the body carries refreshToken: %s", r.Body)
	}
	s.meUser(t, r.tokens(t, http.StatusCreated).AccessToken)
	c := r.refreshCookie(t, secureCookie)
	checkRefreshCookie(t, r, c, week)

	// The cookie alone refreshes; the response rotates the cookie.
	clock.Advance(time.Hour)
	r = s.doRaw(t, http.MethodPost, "/v1/auth/refresh", "", nil, sendCookie(c.Name, c.Value))
	refreshed := r.tokens(t, http.StatusOK)
	if _, ok := r.object(t)["refreshToken"]; ok {
		t.Errorf("cookie transport: the refresh body carries refreshToken: %s", r.Body)
	}
	next := r.refreshCookie(t, secureCookie)
	if next.Value == c.Value {
		t.Error("refresh did not rotate the cookie")
	}
	checkRefreshCookie(t, r, next, week) // the idle deadline moved with the refresh

	// The body is not a transport here.
	s.refresh(t, next.Value).wantProblem(t, http.StatusUnauthorized, "refresh_token_invalid")

	// Logout reads the cookie, ends the session and clears the cookie.
	r = s.doRaw(t, http.MethodPost, "/v1/auth/logout", "", nil, sendCookie(next.Name, next.Value))
	r.wantStatus(t, http.StatusNoContent)
	if line := r.setCookieLine(secureCookie); !strings.Contains(line, "Max-Age=0") {
		t.Errorf("logout Set-Cookie %q does not clear the cookie with Max-Age=0", line)
	}
	r = s.doRaw(t, http.MethodPost, "/v1/auth/refresh", "", nil, sendCookie(next.Name, next.Value))
	r.wantStatus(t, http.StatusUnauthorized)
	s.wantRefused(t, refreshed.AccessToken, "session_revoked")
}

// checkRefreshCookie checks the attributes the contract gives the secure
// refresh cookie.
func checkRefreshCookie(t *testing.T, r response, c *http.Cookie, lifetime time.Duration) {
	t.Helper()
	if c.Value == "" || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/v1/auth" {
		t.Errorf("refresh cookie %q lacks Secure, HttpOnly, SameSite=Strict or Path=/v1/auth", r.setCookieLine(c.Name))
	}
	if c.MaxAge != int(lifetime/time.Second) {
		t.Errorf("refresh cookie Max-Age %d, want %d (the remaining session lifetime)", c.MaxAge, int(lifetime/time.Second))
	}
	if line := r.setCookieLine(c.Name); !strings.Contains(line, "SameSite=Strict") {
		t.Errorf("Set-Cookie %q, want SameSite=Strict", line)
	}
}

// TestInsecureCookieWithABrowserJar runs the cookie flow with a cookie jar,
// as a browser on plain http would with cookie.secure=false.
func TestInsecureCookieWithABrowserJar(t *testing.T) {
	t.Parallel()
	s := startServer(t, map[string]string{transportKey: cookieOnly, "AUTHD_COOKIE_SECURE": "false"})
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := *s
	browser.client = &http.Client{Jar: jar, Timeout: 20 * time.Second}

	r := browser.do(t, http.MethodPost, "/v1/auth/signup", signupBody("dora@example.com"))
	a := r.tokens(t, http.StatusCreated)
	c := r.refreshCookie(t, insecureCookie)
	if c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/v1/auth" {
		t.Errorf("insecure refresh cookie %q: want no Secure, HttpOnly, SameSite=Strict, Path=/v1/auth", r.setCookieLine(insecureCookie))
	}
	if r.cookie(secureCookie) != nil {
		t.Errorf("insecure mode also set %s", secureCookie)
	}

	refreshed := browser.do(t, http.MethodPost, "/v1/auth/refresh", nil).tokens(t, http.StatusOK)
	s.meUser(t, refreshed.AccessToken)

	browser.do(t, http.MethodPost, "/v1/auth/logout", nil).wantStatus(t, http.StatusNoContent)
	if left := jar.Cookies(mustParseURL(t, s.URL+"/v1/auth/refresh")); len(left) != 0 {
		t.Errorf("the jar still holds %v after logout", left)
	}
	browser.do(t, http.MethodPost, "/v1/auth/refresh", nil).wantStatus(t, http.StatusUnauthorized)
	s.wantRefused(t, a.AccessToken, "session_revoked")
}

func TestBodyTransport(t *testing.T) {
	t.Parallel()
	s := startServer(t, map[string]string{transportKey: "body"})
	r := s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("ezra@example.com"))
	a := r.tokens(t, http.StatusCreated)
	if a.RefreshToken == "" {
		t.Error("body transport: no refreshToken in the body")
	}
	if lines := r.Header.Values("Set-Cookie"); len(lines) != 0 {
		t.Errorf("body transport set cookies: %q", lines)
	}

	// A cookie is not a transport here.
	for _, name := range []string{secureCookie, insecureCookie} {
		r = s.doRaw(t, http.MethodPost, "/v1/auth/refresh", "", nil, sendCookie(name, a.RefreshToken))
		r.wantProblem(t, http.StatusUnauthorized, "refresh_token_invalid")
	}
	// Without a cookie to protect there is no Origin check.
	body := map[string]any{"email": "ezra@example.com", "password": defaultPassword}
	s.do(t, http.MethodPost, "/v1/auth/login", body, header("Origin", "https://evil.example")).tokens(t, http.StatusOK)

	r = s.logout(t, a.RefreshToken)
	r.wantStatus(t, http.StatusNoContent)
	if lines := r.Header.Values("Set-Cookie"); len(lines) != 0 {
		t.Errorf("body transport logout set cookies: %q", lines)
	}
	s.wantRefreshRefused(t, a.RefreshToken)
}

func TestBothTransports(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil) // "both" is the default
	r := s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("fern@example.com"))
	a := r.tokens(t, http.StatusCreated)
	c := r.refreshCookie(t, secureCookie)
	if c.Value != a.RefreshToken {
		t.Error("the cookie and the body carry different refresh tokens")
	}
	other := s.login(t, "fern@example.com", defaultPassword)

	// A body token wins over the cookie.
	r = s.refresh(t, a.RefreshToken, sendCookie(secureCookie, other.RefreshToken))
	if got := sessionID(t, r.tokens(t, http.StatusOK).AccessToken); got != sessionID(t, a.AccessToken) {
		t.Errorf("refresh with body and cookie rotated session %s, want the body's %s", got, sessionID(t, a.AccessToken))
	}
	r = s.refresh(t, "not-a-token", sendCookie(secureCookie, other.RefreshToken))
	r.wantProblem(t, http.StatusUnauthorized, "refresh_token_invalid")

	// The cookie alone works too.
	r = s.doRaw(t, http.MethodPost, "/v1/auth/refresh", "", nil, sendCookie(secureCookie, other.RefreshToken))
	if got := sessionID(t, r.tokens(t, http.StatusOK).AccessToken); got != sessionID(t, other.AccessToken) {
		t.Errorf("cookie refresh rotated session %s, want %s", got, sessionID(t, other.AccessToken))
	}

	// The cookie is on, so is the Origin check.
	body := map[string]any{"email": "fern@example.com", "password": defaultPassword}
	s.do(t, http.MethodPost, "/v1/auth/login", body, header("Origin", "https://evil.example")).
		wantProblem(t, http.StatusForbidden, "origin_not_allowed")
}
