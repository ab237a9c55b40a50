package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

func TestBearerMissingOrMalformed(t *testing.T) {
	for _, header := range []string{"", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer a b", "Bearer a,b", "Token " + goodToken, "Bearer\t" + goodToken} {
		hs := newHarness(t, bodyOpts())
		r := httptest.NewRequest(http.MethodGet, "/v1/auth/me", nil)
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		rec := hs.do(r)
		expectProblem(t, rec, http.StatusUnauthorized, "unauthorized")
		if got := rec.Header().Get("WWW-Authenticate"); got != "Bearer" {
			t.Errorf("%q: WWW-Authenticate = %q", header, got)
		}
		if calls := hs.f.calls(); len(calls) != 0 {
			t.Errorf("%q reached the use cases: %v", header, calls)
		}
	}
}

func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	r := httptest.NewRequest(http.MethodGet, "/v1/auth/me", nil)
	r.Header.Set("Authorization", "bearer "+goodToken)
	if rec := hs.do(r); rec.Code != http.StatusOK || hs.f.authenticate.last().BearerToken != goodToken {
		t.Fatalf("status %d, bearer %q", rec.Code, hs.f.authenticate.last().BearerToken)
	}
}

func TestBearerRefusedByAuthenticator(t *testing.T) {
	cases := []struct {
		err  error
		code string
	}{
		{outbound.ErrTokenExpired, "token_expired"},
		{outbound.ErrTokenInvalid, "token_invalid"},
		{session.ErrRevoked, "session_revoked"},
		{session.ErrExpired, "session_revoked"},
		{user.ErrDisabled, "user_disabled"},
	}
	for _, tc := range cases {
		hs := newHarness(t, bodyOpts())
		hs.f.authenticate.err = tc.err
		rec := hs.authed(http.MethodGet, "/v1/auth/sessions", "")
		expectProblem(t, rec, http.StatusUnauthorized, tc.code)
		if got := rec.Header().Get("WWW-Authenticate"); got != `Bearer error="invalid_token"` {
			t.Errorf("%s: WWW-Authenticate = %q", tc.code, got)
		}
		if hs.f.called("ListSessions") {
			t.Errorf("%s: handler ran", tc.code)
		}
	}
}

func TestBearerAuthenticatorOutageIsInternal(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.f.authenticate.err = errFake("database is down")
	rec := hs.authed(http.MethodGet, "/v1/auth/me", "")
	expectProblem(t, rec, http.StatusInternalServerError, "internal")
	if rec.Header().Get("WWW-Authenticate") != "" {
		t.Error("a 500 carries a challenge")
	}
}

type errFake string

func (e errFake) Error() string { return string(e) }
