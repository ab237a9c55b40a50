package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authd/authd/ports/inbound"
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
		if hs.f.called("Authenticate") || hs.f.called("Me") {
			t.Errorf("%q reached the use cases: %v", header, hs.f.calls)
		}
	}
}

func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	r := httptest.NewRequest(http.MethodGet, "/v1/auth/me", nil)
	r.Header.Set("Authorization", "bearer "+goodToken)
	if rec := hs.do(r); rec.Code != http.StatusOK || hs.f.bearer != goodToken {
		t.Fatalf("status %d, bearer %q", rec.Code, hs.f.bearer)
	}
}

func TestBearerRefusedByAuthenticator(t *testing.T) {
	cases := []struct {
		err  error
		code string
	}{
		{inbound.ErrTokenExpired, "token_expired"},
		{inbound.ErrTokenInvalid, "token_invalid"},
		{inbound.ErrSessionRevoked, "session_revoked"},
		{inbound.ErrUserDisabled, "user_disabled"},
	}
	for _, tc := range cases {
		hs := newHarness(t, bodyOpts())
		hs.f.errs["Authenticate"] = tc.err
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
	hs.f.errs["Authenticate"] = errFake("database is down")
	rec := hs.authed(http.MethodGet, "/v1/auth/me", "")
	expectProblem(t, rec, http.StatusInternalServerError, "internal")
	if rec.Header().Get("WWW-Authenticate") != "" {
		t.Error("a 500 carries a challenge")
	}
}

type errFake string

func (e errFake) Error() string { return string(e) }
