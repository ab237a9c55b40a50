package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

// TestErrorTable drives each error through a real endpoint (login) and
// checks the status and code the contract assigns it, wrapped or not.
func TestErrorTable(t *testing.T) {
	cases := []struct {
		err    error
		status int
		code   string
	}{
		{user.Invalid("email", "must be a single address"), 400, "validation_failed"},
		{inbound.ErrUnauthenticated, 401, "unauthorized"},
		{inbound.ErrTokenExpired, 401, "token_expired"},
		{inbound.ErrTokenInvalid, 401, "token_invalid"},
		{inbound.ErrInvalidCredentials, 401, "invalid_credentials"},
		{inbound.ErrRefreshTokenInvalid, 401, "refresh_token_invalid"},
		{inbound.ErrRefreshTokenReused, 401, "refresh_token_reused"},
		{session.ErrStaleToken, 401, "refresh_token_reused"},
		{inbound.ErrSessionRevoked, 401, "session_revoked"},
		{session.ErrRevoked, 401, "session_revoked"},
		{session.ErrExpired, 401, "session_revoked"},
		{inbound.ErrUserDisabled, 401, "user_disabled"},
		{user.ErrDisabled, 401, "user_disabled"},
		{inbound.ErrForbidden, 403, "forbidden"},
		{user.ErrEmailTaken, 409, "email_taken"},
		{inbound.ErrCannotModifySelf, 409, "cannot_modify_self"},
		{inbound.ErrTooManyAttempts, 429, "too_many_attempts"},
		{session.ErrNotFound, 404, "not_found"},
		{user.ErrNotFound, 404, "not_found"},
		{inbound.ErrOverloaded, 503, "overloaded"},
	}
	for _, tc := range cases {
		for _, err := range []error{tc.err, fmt.Errorf("login: %w", tc.err)} {
			t.Run(err.Error(), func(t *testing.T) {
				hs := newHarness(t, bodyOpts())
				hs.f.errs["Login"] = err
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

func TestValidationErrorListsFields(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	ve := &user.ValidationError{}
	ve.Add("email", "must be a single address")
	ve.Add("password", "is too common")
	hs.f.errs["Signup"] = ve
	rec := hs.post("/v1/auth/signup", `{"email":"x","password":"y","fullName":"z"}`)
	p := expectProblem(t, rec, 400, "validation_failed")
	want := []fieldProblem{{"email", "must be a single address"}, {"password", "is too common"}}
	if fmt.Sprint(p.Errors) != fmt.Sprint(want) {
		t.Errorf("errors = %v, want %v", p.Errors, want)
	}
}

func TestOverloadedAsksToRetry(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.f.errs["Login"] = inbound.ErrOverloaded
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
		{"overloaded with hint", retry(inbound.ErrOverloaded, 2500*time.Millisecond), 503, "overloaded", "3"},
		{"overloaded negative hint", retry(inbound.ErrOverloaded, -time.Second), 503, "overloaded", "1"},
		{"bare overloaded", inbound.ErrOverloaded, 503, "overloaded", "1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(t, bodyOpts())
			hs.f.errs["Login"] = tc.err
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
	hs.f.errs["Login"] = cause
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
	hs.f.panicOn = "Login"
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
