package e2e

import (
	"net/http"
	"slices"
	"testing"
)

func TestChangePassword(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "bella@example.com")
	other := s.login(t, a.Email, a.Password)
	const newPassword = "a-Different-secret-42"
	change := func(current, next string) response {
		body := map[string]any{"currentPassword": current, "newPassword": next}
		return s.do(t, http.MethodPost, "/v1/auth/password", body, bearer(a.AccessToken))
	}

	// Refusals change nothing.
	change("not-the-password", newPassword).wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	weak := []struct{ name, password string }{
		{"too short", "short"},
		{"common", "iloveyou"},
		{"contains the local part", "xx-bella-xx-99"},
		{"129 code points", string(slices.Repeat([]rune{'ü'}, 129))},
	}
	for _, w := range weak {
		p := change(a.Password, w.password).wantProblem(t, http.StatusBadRequest, "validation_failed")
		if f := p.fields(); !slices.Equal(f, []string{"newPassword"}) {
			t.Errorf("%s: errors name %v, want [newPassword]", w.name, f)
		}
	}
	p := s.do(t, http.MethodPost, "/v1/auth/password", map[string]any{}, bearer(a.AccessToken)).
		wantProblem(t, http.StatusBadRequest, "validation_failed")
	if f := p.fields(); !slices.Equal(f, []string{"currentPassword", "newPassword"}) {
		t.Errorf("empty body: errors name %v, want [currentPassword newPassword]", f)
	}
	s.meUser(t, other.AccessToken)
	s.login(t, a.Email, a.Password)

	r := change(a.Password, newPassword)
	r.wantStatus(t, http.StatusNoContent)
	if len(r.Body) != 0 {
		t.Errorf("204 with a body: %s", r.Body)
	}

	// The session the change was made from goes on; every other one ends.
	s.meUser(t, a.AccessToken)
	s.mustRefresh(t, a.RefreshToken)
	s.wantRefused(t, other.AccessToken, "session_revoked")
	s.wantRefreshRefused(t, other.RefreshToken)

	old := s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": a.Email, "password": a.Password})
	old.wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	s.login(t, a.Email, newPassword)
}

func TestChangePasswordNeedsAnAccessToken(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "cleo@example.com")
	body := map[string]any{"currentPassword": a.Password, "newPassword": "a-Different-secret-42"}

	s.do(t, http.MethodPost, "/v1/auth/password", body).wantProblem(t, http.StatusUnauthorized, "unauthorized")
	// A refresh token is not an access token.
	r := s.do(t, http.MethodPost, "/v1/auth/password", body, bearer(a.RefreshToken))
	r.wantStatus(t, http.StatusUnauthorized)
	s.login(t, a.Email, a.Password)
}
