package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// TestErrorTable drives each error through a real endpoint (login) and
// checks the status and code the contract assigns it, wrapped or not.
func TestErrorTable(t *testing.T) {
	cases := []struct {
		err    error
		status int
		code   string
	}{
		{validation.Invalid("email", "must be a single address"), 400, "validation_failed"},
		{inbound.ErrUnauthenticated, 401, "unauthorized"},
		{outbound.ErrTokenExpired, 401, "token_expired"},
		{outbound.ErrTokenInvalid, 401, "token_invalid"},
		{inbound.ErrInvalidCredentials, 401, "invalid_credentials"},
		{outbound.ErrRefreshTokenInvalid, 401, "refresh_token_invalid"},
		{session.ErrRefreshTokenReused, 401, "refresh_token_reused"},
		{session.ErrEnded, 401, "session_revoked"},
		{session.ErrRevoked, 401, "session_revoked"},
		{session.ErrExpired, 401, "session_revoked"},
		{user.ErrDisabled, 401, "user_disabled"},
		{inbound.ErrForbidden, 403, "forbidden"},
		{user.ErrEmailTaken, 409, "email_taken"},
		{inbound.ErrCannotModifySelf, 409, "cannot_modify_self"},
		{inbound.ErrTooManyAttempts, 429, "too_many_attempts"},
		{session.ErrNotFound, 404, "not_found"},
		{user.ErrNotFound, 404, "not_found"},
		{outbound.ErrOverloaded, 503, "overloaded"},
		{fmt.Errorf("gormstore: get user: %w", outbound.ErrUnavailable), 503, "unavailable"},
		{identity.ErrRedirectNotAllowed, 400, "redirect_not_allowed"},
		{inbound.ErrStateInvalid, 400, "state_invalid"},
		{identity.ErrLastSignInMethod, 409, "last_sign_in_method"},
		{identity.ErrNotFound, 404, "not_found"},
		{inbound.ErrUnknownProvider, 404, "not_found"},
		{inbound.ErrEmailNotVerified, 403, "email_not_verified"},
		{onetime.ErrInvalid, 400, "verification_invalid"},
		{outbound.ErrMailDisabled, 503, "mail_disabled"},
	}
	for _, tc := range cases {
		for _, err := range []error{tc.err, fmt.Errorf("login: %w", tc.err)} {
			t.Run(err.Error(), func(t *testing.T) {
				hs := newHarness(t, bodyOpts())
				hs.f.login.err = err
				rec := hs.post("/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
				p := expectProblem(t, rec, tc.status, tc.code)
				if (p.Errors != nil) != (tc.code == "validation_failed") {
					t.Errorf("errors member = %v", p.Errors)
				}
				if tc.status == 401 && rec.Header().Get("WWW-Authenticate") != "Bearer" {
					t.Errorf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
				}
				if rec.Header().Get("Cache-Control") != "no-store" {
					t.Error("problem under /v1/auth is cacheable")
				}
				if hs.logs.FilterMessage("request failed").Len() != 0 {
					t.Error("a known error was logged as a failure")
				}
			})
		}
	}
}

// contractCodes are the problem codes of the API contract with their
// statuses. internal is the answer to every error the table does not know.
var contractCodes = map[string]int{
	"validation_failed":      400,
	"invalid_json":           400,
	"unauthorized":           401,
	"token_expired":          401,
	"token_invalid":          401,
	"invalid_credentials":    401,
	"refresh_token_invalid":  401,
	"refresh_token_reused":   401,
	"session_revoked":        401,
	"user_disabled":          401,
	"forbidden":              403,
	"origin_not_allowed":     403,
	"not_found":              404,
	"method_not_allowed":     405,
	"email_taken":            409,
	"cannot_modify_self":     409,
	"payload_too_large":      413,
	"unsupported_media_type": 415,
	"too_many_attempts":      429,
	"rate_limited":           429,
	"internal":               500,
	"overloaded":             503,
	"unavailable":            503,
	// v1.1: signing in with providers.
	"redirect_not_allowed": 400,
	"state_invalid":        400,
	"verification_invalid": 400,
	"last_sign_in_method":  409,
	// v1.1, the account lifecycle by email
	"email_not_verified": 403,
	"mail_disabled":      503,
}

// TestErrorTableMapsEveryCodeOnce: each code of the contract but internal
// has exactly one row, with the contract's status and a detail; the table
// invents no code.
func TestErrorTableMapsEveryCodeOnce(t *testing.T) {
	rows := map[string]int{}
	for _, m := range errorTable {
		rows[m.code]++
		status, known := contractCodes[m.code]
		if !known || m.code == "internal" {
			t.Errorf("row for %q, which is not a mappable code of the contract", m.code)
			continue
		}
		if m.status != status || m.detail == "" || m.match == nil {
			t.Errorf("row %q: status %d (want %d), detail %q", m.code, m.status, status, m.detail)
		}
	}
	for code := range contractCodes {
		if code != "internal" && rows[code] != 1 {
			t.Errorf("code %q has %d rows, want exactly 1", code, rows[code])
		}
	}
}

// TestNotFoundIsOneAnswer: a missing user, a missing session, an id that
// cannot name either, and an unknown route all get the same problem, so
// that a client cannot tell them apart.
func TestNotFoundIsOneAnswer(t *testing.T) {
	hs := newAdminHarness(t)
	hs.f.getUser.err = user.ErrNotFound
	hs.f.revokeSession.err = fmt.Errorf("revoke: %w", session.ErrNotFound)
	answers := map[string]*httptest.ResponseRecorder{
		"missing user":      hs.authed(http.MethodGet, "/v1/admin/users/"+targetID, ""),
		"missing session":   hs.authed(http.MethodDelete, "/v1/auth/sessions/"+testSessionID, ""),
		"malformed user id": hs.authed(http.MethodGet, "/v1/admin/users/nope", ""),
		"malformed session": hs.authed(http.MethodDelete, "/v1/auth/sessions/nope", ""),
		"unknown route":     hs.authed(http.MethodGet, "/v1/nowhere", ""),
	}
	want := `{"type":"urn:authd:problem:not_found","title":"Not Found","status":404,"detail":"no such resource","code":"not_found"}`
	for name, rec := range answers {
		expectProblem(t, rec, http.StatusNotFound, "not_found")
		if rec.Body.String() != want {
			t.Errorf("%s: body %s, want %s", name, rec.Body, want)
		}
	}
	if hs.f.getUser.calls() != 1 || hs.f.revokeSession.calls() != 1 {
		t.Errorf("GetUser ran %d times, RevokeSession %d, want 1 each (the malformed ids must not reach them)",
			hs.f.getUser.calls(), hs.f.revokeSession.calls())
	}
}

func TestValidationErrorListsFields(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	ve := &validation.Error{}
	ve.Add("email", "must be a single address")
	ve.Add("password", "is too common")
	hs.f.signup.err = ve
	rec := hs.post("/v1/auth/signup", `{"email":"x","password":"y","fullName":"z"}`)
	p := expectProblem(t, rec, 400, "validation_failed")
	want := []fieldProblem{{"email", "must be a single address"}, {"password", "is too common"}}
	if fmt.Sprint(p.Errors) != fmt.Sprint(want) {
		t.Errorf("errors = %v, want %v", p.Errors, want)
	}
}

func TestOverloadedAsksToRetry(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.f.login.err = outbound.ErrOverloaded
	rec := hs.post("/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
	expectProblem(t, rec, http.StatusServiceUnavailable, "overloaded")
	if rec.Header().Get("Retry-After") != "1" {
		t.Errorf("Retry-After = %q", rec.Header().Get("Retry-After"))
	}
}

// TestRetryAfterFromTheUseCase: a RetryAfterError, however wrapped, sets
// Retry-After in whole seconds rounded up, at least 1; without one, only a
// 503 gets the default pause.
func TestRetryAfterFromTheUseCase(t *testing.T) {
	retry := func(err error, d time.Duration) error { return &inbound.RetryAfterError{Err: err, RetryAfter: d} }
	cases := []struct {
		name   string
		err    error
		status int
		code   string
		want   string
	}{
		{"lockout", retry(inbound.ErrTooManyAttempts, 14*time.Minute+30*time.Second), 429, "too_many_attempts", "870"},
		{"lockout rounds up", retry(inbound.ErrTooManyAttempts, 90*time.Second+time.Millisecond), 429, "too_many_attempts", "91"},
		{"lockout wrapped", fmt.Errorf("login: %w", retry(inbound.ErrTooManyAttempts, 5*time.Second)), 429, "too_many_attempts", "5"},
		{"lockout almost over", retry(inbound.ErrTooManyAttempts, 0), 429, "too_many_attempts", "1"},
		{"bare lockout", inbound.ErrTooManyAttempts, 429, "too_many_attempts", ""},
		{"overloaded with hint", retry(outbound.ErrOverloaded, 2500*time.Millisecond), 503, "overloaded", "3"},
		{"overloaded negative hint", retry(outbound.ErrOverloaded, -time.Second), 503, "overloaded", "1"},
		{"bare overloaded", outbound.ErrOverloaded, 503, "overloaded", "1"},
		{"store unavailable", fmt.Errorf("get user: %w", outbound.ErrUnavailable), 503, "unavailable", "1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(t, bodyOpts())
			hs.f.login.err = tc.err
			rec := hs.post("/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
			expectProblem(t, rec, tc.status, tc.code)
			if got := rec.Header().Get("Retry-After"); got != tc.want {
				t.Errorf("Retry-After = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestUnknownErrorIsInternal: the cause is logged once and never sent.
func TestUnknownErrorIsInternal(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	cause := errors.New(`pq: relation "users" does not exist at SELECT * FROM users`)
	hs.f.login.err = cause
	r := jsonRequest(http.MethodPost, "/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
	r.Header.Set("X-Request-ID", "req-500")
	rec := hs.do(r)

	p := expectProblem(t, rec, http.StatusInternalServerError, "internal")
	if !strings.Contains(p.Detail, "req-500") {
		t.Errorf("detail %q lacks the request id", p.Detail)
	}
	for _, leak := range []string{"pq", "relation", "SELECT", "users"} {
		if strings.Contains(rec.Body.String(), leak) {
			t.Errorf("body leaks %q: %s", leak, rec.Body)
		}
	}
	logged := hs.logs.FilterMessage("request failed").All()
	if len(logged) != 1 {
		t.Fatalf("logged %d times, want once", len(logged))
	}
	fields := logged[0].ContextMap()
	if fields["error"] != cause.Error() || fields["request_id"] != "req-500" || fields["route"] != "/v1/auth/login" {
		t.Errorf("log fields = %v", fields)
	}
}

func TestPanicBecomesInternal(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.f.login.panics = true
	rec := hs.post("/v1/auth/login", `{"email":"a@b.c","password":"p"}`)
	expectProblem(t, rec, http.StatusInternalServerError, "internal")
	if strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("body leaks the panic: %s", rec.Body)
	}
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("X-Request-ID") == "" {
		t.Error("a panic's answer lost the standard headers")
	}
	if hs.logs.FilterMessage("request failed").Len() != 1 || hs.logs.FilterMessage("request").Len() != 1 {
		t.Errorf("logs = %v", hs.logs.All())
	}
}
