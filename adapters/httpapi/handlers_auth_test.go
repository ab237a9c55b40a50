package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

var (
	tokenResponseKeys = sorted("tokenType", "accessToken", "expiresIn", "refreshToken", "refreshExpiresAt", "user")
	userKeys          = sorted("id", "email", "fullName", "role", "disabled", "emailVerified", "createdAt", "updatedAt")
)

// checkTokenResponse asserts the full token response of the fakes' pair.
func checkTokenResponse(t *testing.T, body map[string]any, wantKeys []string) {
	t.Helper()
	if got := keysOf(body); !slices.Equal(got, wantKeys) {
		t.Fatalf("token response keys = %v, want %v", got, wantKeys)
	}
	if body["tokenType"] != "Bearer" || body["accessToken"] != "new.access.jwt" ||
		body["expiresIn"] != float64(900) || body["refreshExpiresAt"] != "2026-06-08T12:00:00Z" {
		t.Fatalf("token response = %v", body)
	}
	if _, ok := body["refreshToken"]; ok && body["refreshToken"] != "opaque-refresh-token" {
		t.Fatalf("refreshToken = %v", body["refreshToken"])
	}
	checkUser(t, body["user"])
}

func checkUser(t *testing.T, v any) {
	t.Helper()
	u, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("user = %v", v)
	}
	if got := keysOf(u); !slices.Equal(got, userKeys) {
		t.Fatalf("user keys = %v, want %v", got, userKeys)
	}
	want := map[string]any{
		"id": "0190a1b2-0000-7000-8000-000000000001", "email": "ada@example.com", "fullName": "Ada Lovelace",
		"role": "user", "disabled": false, "emailVerified": false,
		"createdAt": "2026-05-01T08:30:15Z", "updatedAt": "2026-05-01T09:30:15Z",
	}
	for k, w := range want {
		if u[k] != w {
			t.Errorf("user.%s = %v, want %v", k, u[k], w)
		}
	}
}

func TestSignupCreatesAccount(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	r := jsonRequest(http.MethodPost, "/v1/auth/signup",
		`{"email":"Ada@Example.com","password":"correct horse","fullName":" Ada ","passwordConfirm":"correct horse"}`)
	r.Header.Set("User-Agent", "test-agent/1")
	rec := hs.do(r)

	if rec.Code != http.StatusCreated {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", rec.Header().Get("Cache-Control"))
	}
	checkTokenResponse(t, jsonObject(t, rec), tokenResponseKeys)
	cmd := hs.f.signup.last()
	// The handler passes content through untouched: the use case normalises.
	if cmd.Email != "Ada@Example.com" || cmd.Password != "correct horse" || cmd.FullName != " Ada " ||
		cmd.PasswordConfirm == nil || *cmd.PasswordConfirm != "correct horse" {
		t.Errorf("command = %+v", cmd)
	}
	if cmd.Client.IP != "192.0.2.1" || cmd.Client.UserAgent != "test-agent/1" {
		t.Errorf("client = %+v", cmd.Client)
	}
}

func TestSignupWithoutConfirmPassesNil(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.post("/v1/auth/signup", `{"email":"a@b.c","password":"pw","fullName":"A"}`)
	if rec.Code != http.StatusCreated || hs.f.signup.calls() != 1 || hs.f.signup.last().PasswordConfirm != nil {
		t.Fatalf("status %d, confirm %v", rec.Code, hs.f.signup.last().PasswordConfirm)
	}
}

func TestRequiredFieldsAreReportedByName(t *testing.T) {
	cases := []struct {
		path, body string
		fields     []string
		useCase    string
	}{
		{"/v1/auth/signup", `{}`, []string{"email", "password", "fullName"}, "Signup"},
		{"/v1/auth/signup", `{"email":"a@b.c","password":null,"fullName":"A"}`, []string{"password"}, "Signup"},
		{"/v1/auth/login", `{"password":"x"}`, []string{"email"}, "Login"},
		{"/v1/auth/password", `{"newPassword":"x"}`, []string{"currentPassword"}, "ChangePassword"},
	}
	for _, tc := range cases {
		t.Run(tc.path+tc.body, func(t *testing.T) {
			hs := newHarness(t, bodyOpts())
			rec := hs.authed(http.MethodPost, tc.path, tc.body)
			p := expectProblem(t, rec, http.StatusBadRequest, "validation_failed")
			var got []string
			for _, e := range p.Errors {
				got = append(got, e.Field)
				if e.Message != "is required" {
					t.Errorf("message = %q", e.Message)
				}
			}
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields = %v, want %v", got, tc.fields)
			}
			if hs.f.called(tc.useCase) {
				t.Errorf("%s was called", tc.useCase)
			}
		})
	}
}

func TestEmptyStringsReachTheUseCase(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.post("/v1/auth/login", `{"email":"","password":""}`)
	if rec.Code != http.StatusOK || !hs.f.called("Login") {
		t.Fatalf("status %d, login called %v", rec.Code, hs.f.called("Login"))
	}
}

func TestLoginAnswersTokens(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.post("/v1/auth/login", `{"email":"ada@example.com","password":"pw"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	checkTokenResponse(t, jsonObject(t, rec), tokenResponseKeys)
	if cmd := hs.f.login.last(); cmd.Email != "ada@example.com" || cmd.Password != "pw" || cmd.Client.IP != "192.0.2.1" {
		t.Errorf("command = %+v", cmd)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Error("login answer is cacheable")
	}
}

func TestRefreshRotates(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.post("/v1/auth/refresh", `{"refreshToken":"old-token"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	checkTokenResponse(t, jsonObject(t, rec), tokenResponseKeys)
	if cmd := hs.f.refresh.last(); cmd.RefreshToken != "old-token" || cmd.Client.IP != "192.0.2.1" {
		t.Errorf("command = %+v", cmd)
	}
}

func TestRefreshWithoutTokenIsInvalid(t *testing.T) {
	for _, body := range []string{"", `{}`, `{"refreshToken":""}`} {
		hs := newHarness(t, bodyOpts())
		rec := hs.post("/v1/auth/refresh", body)
		expectProblem(t, rec, http.StatusUnauthorized, "refresh_token_invalid")
		if hs.f.called("Refresh") {
			t.Errorf("body %q: use case called without a token", body)
		}
	}
}

func TestLogoutIsAlwaysNoContent(t *testing.T) {
	cases := []struct {
		name, body string
		err        error
		wantToken  string
	}{
		{"with token", `{"refreshToken":"tok"}`, nil, "tok"},
		{"empty body", "", nil, ""},
		{"unknown token reported", `{"refreshToken":"tok"}`, outbound.ErrRefreshTokenInvalid, "tok"},
		{"reused token reported", `{"refreshToken":"tok"}`, session.ErrRefreshTokenReused, "tok"},
		{"ended session reported", `{"refreshToken":"tok"}`, fmt.Errorf("logout: %w", session.ErrRevoked), "tok"},
		{"gone session reported", `{"refreshToken":"tok"}`, session.ErrNotFound, "tok"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(t, bodyOpts())
			hs.f.logout.err = tc.err
			rec := hs.post("/v1/auth/logout", tc.body)
			if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
				t.Fatalf("status = %d body %q", rec.Code, rec.Body)
			}
			if got := hs.f.logout.last().RefreshToken; got != tc.wantToken {
				t.Errorf("token = %q, want %q", got, tc.wantToken)
			}
			if called := hs.f.logout.calls() == 1; called != (tc.wantToken != "") {
				t.Errorf("Logout ran %d times", hs.f.logout.calls())
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Error("missing no-store")
			}
		})
	}
}

func TestLogoutStorageFailureIsNotHidden(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.f.logout.err = errors.New("connection refused")
	rec := hs.post("/v1/auth/logout", `{"refreshToken":"tok"}`)
	expectProblem(t, rec, http.StatusInternalServerError, "internal")
}

// TestUserAgentReachesTheUseCasesWhole: the handlers pass the User-Agent
// on untouched, however long; bounding it is the domain's rule
// (session.BoundUserAgent), tested there.
func TestUserAgentReachesTheUseCasesWhole(t *testing.T) {
	// Past the domain's 512 bytes, with a 3-byte character straddling them.
	ua := strings.Repeat("a", 511) + "€" + strings.Repeat("b", 2000)
	hs := newHarness(t, bodyOpts())
	for path, body := range guardBodies {
		r := jsonRequest(http.MethodPost, path, body)
		r.Header.Set("User-Agent", ua)
		if rec := hs.do(r); rec.Code >= 300 {
			t.Fatalf("%s: status %d: %s", path, rec.Code, rec.Body)
		}
	}
	r := jsonRequest(http.MethodGet, "/v1/auth/me", "")
	r.Header.Set("Authorization", "Bearer "+goodToken)
	r.Header.Set("User-Agent", ua)
	if rec := hs.do(r); rec.Code != http.StatusOK {
		t.Fatalf("me: status %d: %s", rec.Code, rec.Body)
	}
	clients := map[string]inbound.Client{
		"Signup":  hs.f.signup.last().Client,
		"Login":   hs.f.login.last().Client,
		"Refresh": hs.f.refresh.last().Client,
		"Logout":  hs.f.logout.last().Client,
		// requireBearer describes the caller in the principal.
		"Me": hs.f.me.last().Principal.Client,
	}
	for name, c := range clients {
		if c.UserAgent != ua || c.IP != "192.0.2.1" {
			t.Errorf("%s: client IP %q, user agent of %d bytes, want the whole %d", name, c.IP, len(c.UserAgent), len(ua))
		}
	}
}
