package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func transportOpts(mode string, secure bool) Options {
	return Options{RefreshTransport: mode, CookieSecure: secure}
}

// tokenKeysWithout lists the token response keys minus refreshToken.
var tokenKeysWithoutRefresh = sorted("tokenType", "accessToken", "expiresIn", "refreshExpiresAt", "user")

func TestCookieTransportSetsCookieAndOmitsBodyToken(t *testing.T) {
	for _, path := range []string{"/v1/auth/signup", "/v1/auth/login"} {
		hs := newHarness(t, transportOpts("cookie", true))
		rec := hs.post(path, guardBodies[path])
		if rec.Code >= 300 {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		checkTokenResponse(t, jsonObject(t, rec), tokenKeysWithoutRefresh)
		if strings.Contains(rec.Body.String(), "opaque-refresh-token") {
			t.Fatalf("%s: body carries the refresh token", path)
		}
		raw := rec.Header().Get("Set-Cookie")
		// Max-Age is the seven days left until RefreshExpiresAt.
		for _, attr := range []string{"__Secure-authd_refresh=opaque-refresh-token", "Path=/v1/auth", "Max-Age=604800", "HttpOnly", "Secure", "SameSite=Strict"} {
			if !strings.Contains(raw, attr) {
				t.Errorf("%s: Set-Cookie %q lacks %q", path, raw, attr)
			}
		}
	}
}

func TestInsecureCookieName(t *testing.T) {
	hs := newHarness(t, transportOpts("cookie", false))
	rec := hs.post("/v1/auth/login", guardBodies["/v1/auth/login"])
	c := cookieNamed(rec, "authd_refresh")
	if c == nil || c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/v1/auth" {
		t.Fatalf("cookie = %+v (Set-Cookie %q)", c, rec.Header().Get("Set-Cookie"))
	}
	if cookieNamed(rec, secureCookieName) != nil {
		t.Error("secure-prefixed cookie set without Secure")
	}
}

func TestBodyTransportSetsNoCookie(t *testing.T) {
	hs := newHarness(t, transportOpts("body", true))
	rec := hs.post("/v1/auth/login", guardBodies["/v1/auth/login"])
	if rec.Header().Get("Set-Cookie") != "" {
		t.Errorf("Set-Cookie = %q", rec.Header().Get("Set-Cookie"))
	}
	checkTokenResponse(t, jsonObject(t, rec), tokenResponseKeys)
}

func TestBothTransportsSetCookieAndBody(t *testing.T) {
	hs := newHarness(t, transportOpts("both", true))
	rec := hs.post("/v1/auth/refresh", `{"refreshToken":"from-body"}`)
	checkTokenResponse(t, jsonObject(t, rec), tokenResponseKeys)
	if c := cookieNamed(rec, secureCookieName); c == nil || c.Value != "opaque-refresh-token" || c.MaxAge != 604800 {
		t.Errorf("cookie = %+v", c)
	}
}

// TestWhichRefreshTokenIsRead covers the reading side of every mode.
func TestWhichRefreshTokenIsRead(t *testing.T) {
	cases := []struct {
		mode, body, cookie, want string
	}{
		{"body", `{"refreshToken":"b"}`, "c", "b"},
		{"body", ``, "c", ""}, // the cookie is ignored
		{"cookie", ``, "c", "c"},
		{"cookie", `{}`, "c", "c"},
		{"cookie", `{"refreshToken":"b"}`, "c", "c"}, // reads only the cookie
		{"cookie", `{"refreshToken":"b"}`, "", ""},
		{"both", `{"refreshToken":"b"}`, "c", "b"}, // the body wins
		{"both", ``, "c", "c"},
		{"both", `{"refreshToken":""}`, "c", "c"},
	}
	for _, tc := range cases {
		for _, path := range []string{"/v1/auth/refresh", "/v1/auth/logout"} {
			hs := newHarness(t, transportOpts(tc.mode, true))
			r := jsonRequest(http.MethodPost, path, tc.body)
			if tc.cookie != "" {
				r.AddCookie(&http.Cookie{Name: secureCookieName, Value: tc.cookie})
			}
			hs.do(r)
			got := hs.f.refresh.last().RefreshToken
			if path == "/v1/auth/logout" {
				got = hs.f.logout.last().RefreshToken
			}
			if got != tc.want {
				t.Errorf("%s mode %s body %q cookie %q: read %q, want %q", path, tc.mode, tc.body, tc.cookie, got, tc.want)
			}
		}
	}
}

func TestLogoutClearsTheCookie(t *testing.T) {
	for _, mode := range []string{"cookie", "both"} {
		hs := newHarness(t, transportOpts(mode, true))
		r := jsonRequest(http.MethodPost, "/v1/auth/logout", "")
		r.AddCookie(&http.Cookie{Name: secureCookieName, Value: "c"})
		rec := hs.do(r)
		raw := rec.Header().Get("Set-Cookie")
		if rec.Code != http.StatusNoContent || !strings.Contains(raw, "__Secure-authd_refresh=;") ||
			!strings.Contains(raw, "Max-Age=0") || !strings.Contains(raw, "Path=/v1/auth") {
			t.Errorf("%s: status %d Set-Cookie %q", mode, rec.Code, raw)
		}
	}
	// Even without any token the cookie is cleared.
	hs := newHarness(t, transportOpts("both", true))
	if raw := hs.post("/v1/auth/logout", "").Header().Get("Set-Cookie"); !strings.Contains(raw, "Max-Age=0") {
		t.Errorf("tokenless logout: Set-Cookie %q", raw)
	}
}

func TestLogoutAllClearsTheCookie(t *testing.T) {
	hs := newHarness(t, transportOpts("both", true))
	rec := hs.authed(http.MethodPost, "/v1/auth/logout-all", "")
	if !strings.Contains(rec.Header().Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("Set-Cookie %q", rec.Header().Get("Set-Cookie"))
	}
}

func TestExpiredPairDeletesCookie(t *testing.T) {
	hs := newHarness(t, transportOpts("cookie", true))
	hs.f.login.result.RefreshExpiresAt = testNow.Add(-1)
	rec := hs.post("/v1/auth/login", guardBodies["/v1/auth/login"])
	if raw := rec.Header().Get("Set-Cookie"); !strings.Contains(raw, "Max-Age=0") {
		t.Errorf("Set-Cookie %q", raw)
	}
}

// TestCookieMaxAgeFollowsTheClock: Max-Age is what is left of the refresh
// token's life by Probes.Clock, read on each request.
func TestCookieMaxAgeFollowsTheClock(t *testing.T) {
	hs := newHarness(t, transportOpts("cookie", true))
	hs.clock.Advance(24*time.Hour + 30*time.Second)
	rec := hs.post("/v1/auth/login", guardBodies["/v1/auth/login"])
	if c := cookieNamed(rec, secureCookieName); c == nil || c.MaxAge != 6*24*3600-30 {
		t.Errorf("cookie = %+v, want Max-Age %d", c, 6*24*3600-30)
	}
}

func TestRefreshErrorKeepsTheCookie(t *testing.T) {
	hs := newHarness(t, transportOpts("cookie", true))
	hs.f.refresh.err = errFake("db down")
	r := jsonRequest(http.MethodPost, "/v1/auth/refresh", "")
	r.AddCookie(&http.Cookie{Name: secureCookieName, Value: "c"})
	rec := hs.do(r)
	if rec.Code != http.StatusInternalServerError || rec.Header().Get("Set-Cookie") != "" {
		t.Errorf("status %d Set-Cookie %q", rec.Code, rec.Header().Get("Set-Cookie"))
	}
	if calls := hs.f.calls(); !slices.Equal(calls, []string{"Refresh"}) {
		t.Errorf("calls = %v", calls)
	}
}
