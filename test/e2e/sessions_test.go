package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAccessTokenRefusedOnceItsSessionOrUserIsGone(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// end ends the victim's access from outside its own requests.
		end  func(t *testing.T, s *server, owner, victim tokenResponse)
		code string
	}{
		{"session revoked by its user", func(t *testing.T, s *server, owner, victim tokenResponse) {
			path := "/v1/auth/sessions/" + sessionID(t, victim.AccessToken)
			s.do(t, http.MethodDelete, path, nil, bearer(owner.AccessToken)).wantStatus(t, http.StatusNoContent)
		}, "session_revoked"},
		{"user disabled", func(t *testing.T, s *server, _, victim tokenResponse) {
			execOne(t, s.openDB(t), `UPDATE users SET disabled = true WHERE id = $1`, victim.User.ID)
		}, "user_disabled"},
		{"user deleted", func(t *testing.T, s *server, _, victim tokenResponse) {
			execOne(t, s.openDB(t), `DELETE FROM users WHERE id = $1`, victim.User.ID)
		}, "session_revoked"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := startServer(t, nil)
			a := s.signup(t, "rosa@example.com")
			victim := s.login(t, a.Email, a.Password)
			s.meUser(t, victim.AccessToken)

			c.end(t, s, a.tokenResponse, victim)
			// The access token's exp is 15 minutes away; the next request is refused anyway.
			s.wantRefused(t, victim.AccessToken, c.code)
			s.do(t, http.MethodGet, "/v1/auth/sessions", nil, bearer(victim.AccessToken)).wantProblem(t, http.StatusUnauthorized, c.code)
			s.wantRefreshRefused(t, victim.RefreshToken)
		})
	}
}

func TestRoleIsReadFromTheRecord(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "sara@example.com")
	db := s.openDB(t)

	execOne(t, db, `UPDATE users SET role = 'admin' WHERE id = $1`, a.User.ID)
	if role := s.meUser(t, a.AccessToken).Role; role != "admin" {
		t.Errorf("after promotion /me role %q, want admin (the token still says user)", role)
	}
	execOne(t, db, `UPDATE users SET role = 'user' WHERE id = $1`, a.User.ID)
	if role := s.meUser(t, a.AccessToken).Role; role != "user" {
		t.Errorf("after demotion /me role %q, want user", role)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "tess@example.com")

	// Logging out with a live token ends that session only.
	other := s.login(t, a.Email, a.Password)
	r := s.logout(t, a.RefreshToken)
	r.wantStatus(t, http.StatusNoContent)
	if len(r.Body) != 0 {
		t.Errorf("204 with a body: %s", r.Body)
	}
	s.wantRefreshRefused(t, a.RefreshToken)
	s.wantRefused(t, a.AccessToken, "session_revoked")
	s.meUser(t, other.AccessToken)

	// Logout reveals nothing about the token it is given.
	spent := s.login(t, a.Email, a.Password)
	s.mustRefresh(t, spent.RefreshToken)
	cases := []struct {
		name        string
		contentType string
		body        string
	}{
		{"no body", "", ""},
		{"empty object", "application/json", `{}`},
		{"empty token", "application/json", `{"refreshToken":""}`},
		{"unknown token", "application/json", `{"refreshToken":"not-a-token"}`},
		{"well-formed but foreign token", "application/json", `{"refreshToken":"` + strings.Repeat("A", len(a.RefreshToken)) + `"}`},
		{"already logged out", "application/json", `{"refreshToken":"` + a.RefreshToken + `"}`},
		{"spent token", "application/json", `{"refreshToken":"` + spent.RefreshToken + `"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			r := s.doRaw(t, http.MethodPost, "/v1/auth/logout", c.contentType, body)
			r.wantStatus(t, http.StatusNoContent)
		})
	}
	s.meUser(t, other.AccessToken)
}

func TestLogoutAll(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "uma@example.com")
	b := s.login(t, a.Email, a.Password)
	c := s.login(t, a.Email, a.Password)
	bystander := s.signup(t, "vera@example.com")

	s.do(t, http.MethodPost, "/v1/auth/logout-all", nil, bearer(b.AccessToken)).wantStatus(t, http.StatusNoContent)
	for _, tok := range []tokenResponse{a.tokenResponse, b, c} {
		s.wantRefused(t, tok.AccessToken, "session_revoked")
		s.wantRefreshRefused(t, tok.RefreshToken)
	}
	// Another user's sessions are not touched.
	s.meUser(t, bystander.AccessToken)
	s.mustRefresh(t, bystander.RefreshToken)
}

func TestListSessions(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := startServer(t, nil, withClock(clock))
	start := clock.Now()
	a := s.signup(t, "wren@example.com", header("User-Agent", "agent-1"))
	clock.Advance(time.Minute)
	b := s.login(t, a.Email, a.Password, header("User-Agent", "agent-2"))
	clock.Advance(time.Minute)
	c := s.login(t, a.Email, a.Password, header("User-Agent", "agent-3"))
	clock.Advance(time.Minute)
	s.mustRefresh(t, a.RefreshToken) // the oldest session is now the most recently used
	s.signup(t, "xena@example.com")  // another user's session is never listed

	r := s.do(t, http.MethodGet, "/v1/auth/sessions", nil, bearer(b.AccessToken))
	r.wantStatus(t, http.StatusOK)
	obj := r.object(t)
	wantKeys(t, "sessions response", obj, "sessions")
	list, _ := obj["sessions"].([]any)
	if len(list) != 3 {
		t.Fatalf("%d sessions, want 3: %s", len(list), r.Body)
	}
	for _, item := range list {
		m, _ := item.(map[string]any)
		wantKeys(t, "session", m, "id", "userAgent", "ip", "createdAt", "lastUsedAt", "expiresAt", "current")
	}

	stamp := func(d time.Duration) string { return start.Add(d).Format(time.RFC3339) }
	week := 7 * 24 * time.Hour
	want := []sessionBody{ // newest first
		{sessionID(t, c.AccessToken), "agent-3", "127.0.0.1", stamp(2 * time.Minute), stamp(2 * time.Minute), stamp(2*time.Minute + week), false},
		{sessionID(t, b.AccessToken), "agent-2", "127.0.0.1", stamp(time.Minute), stamp(time.Minute), stamp(time.Minute + week), true},
		{sessionID(t, a.AccessToken), "agent-1", "127.0.0.1", stamp(0), stamp(3 * time.Minute), stamp(3*time.Minute + week), false},
	}
	got := s.sessions(t, b.AccessToken)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("session %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}

	// Each caller sees its own session as current.
	for _, sess := range s.sessions(t, c.AccessToken) {
		if sess.Current != (sess.ID == sessionID(t, c.AccessToken)) {
			t.Errorf("as session 3, session %s has current=%v", sess.ID, sess.Current)
		}
	}
}

func TestRevokeOneSession(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "yara@example.com")
	b := s.login(t, a.Email, a.Password)
	stranger := s.signup(t, "zoe@example.com")

	path := func(id string) string { return "/v1/auth/sessions/" + id }
	s.do(t, http.MethodDelete, path(sessionID(t, b.AccessToken)), nil, bearer(a.AccessToken)).wantStatus(t, http.StatusNoContent)
	s.wantRefused(t, b.AccessToken, "session_revoked")
	s.wantRefreshRefused(t, b.RefreshToken)
	if list := s.sessions(t, a.AccessToken); len(list) != 1 || list[0].ID != sessionID(t, a.AccessToken) {
		t.Errorf("after revoking the other session, sessions = %+v", list)
	}

	notFound := []struct{ name, id string }{
		{"another user's session", sessionID(t, stranger.AccessToken)},
		{"unknown id", "0190c4b2-8a6e-7c3d-9f01-23456789abcd"},
		{"garbage id", "not-a-session"},
		{"sql-looking id", "1%27%20OR%20%271%27%3D%271"},
	}
	for _, c := range notFound {
		t.Run(c.name, func(t *testing.T) {
			s.do(t, http.MethodDelete, path(c.id), nil, bearer(a.AccessToken)).wantProblem(t, http.StatusNotFound, "not_found")
		})
	}
	// The stranger's session survived the attempt.
	s.meUser(t, stranger.AccessToken)
	s.mustRefresh(t, stranger.RefreshToken)
}

func TestRevokeOtherSessions(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "abby@example.com")
	b := s.login(t, a.Email, a.Password)
	c := s.login(t, a.Email, a.Password)

	s.do(t, http.MethodDelete, "/v1/auth/sessions", nil, bearer(b.AccessToken)).wantStatus(t, http.StatusNoContent)
	for _, tok := range []tokenResponse{a.tokenResponse, c} {
		s.wantRefused(t, tok.AccessToken, "session_revoked")
		s.wantRefreshRefused(t, tok.RefreshToken)
	}
	list := s.sessions(t, b.AccessToken)
	if len(list) != 1 || list[0].ID != sessionID(t, b.AccessToken) || !list[0].Current {
		t.Errorf("sessions after revoking the others = %+v, want only the current one", list)
	}
	s.meUser(t, b.AccessToken)
	s.mustRefresh(t, b.RefreshToken)
}
