package e2e

import (
	"slices"
	"testing"
	"time"
)

func TestSessionIdleTimeout(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := startServer(t, map[string]string{
		"AUTHD_AUTH_SESSION_IDLE_TIMEOUT": "1h",
		"AUTHD_AUTH_SESSION_MAX_LIFETIME": "24h",
		// Access tokens outlive the idle timeout, so the refusal below
		// comes from the session, not from exp.
		"AUTHD_AUTH_ACCESS_TOKEN_TTL": "3h",
	}, withClock(clock))
	tok := s.signup(t, "mona@example.com").tokenResponse

	// Each refresh within the timeout pushes the idle deadline on.
	for range 2 {
		clock.Advance(59 * time.Minute)
		tok = s.mustRefresh(t, tok.RefreshToken)
		if want := clock.Now().Add(time.Hour).Format(time.RFC3339); tok.RefreshExpiresAt != want {
			t.Errorf("refreshExpiresAt %s, want %s", tok.RefreshExpiresAt, want)
		}
	}
	clock.Advance(61 * time.Minute)
	s.wantRefused(t, tok.AccessToken, "session_revoked")
	s.wantRefreshRefused(t, tok.RefreshToken)
}

func TestSessionAbsoluteLifetime(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := startServer(t, map[string]string{
		"AUTHD_AUTH_SESSION_IDLE_TIMEOUT": "1h",
		"AUTHD_AUTH_SESSION_MAX_LIFETIME": "150m",
	}, withClock(clock))
	deadline := clock.Now().Add(150 * time.Minute)
	tok := s.signup(t, "nina@example.com").tokenResponse

	// Rotation keeps the session alive but never past login + 150m.
	for _, step := range []time.Duration{50 * time.Minute, 50 * time.Minute, 40 * time.Minute, 9 * time.Minute} {
		clock.Advance(step)
		tok = s.mustRefresh(t, tok.RefreshToken)
		want := clock.Now().Add(time.Hour)
		if want.After(deadline) {
			want = deadline
		}
		if got := tok.RefreshExpiresAt; got != want.Format(time.RFC3339) {
			t.Errorf("at login+%s refreshExpiresAt %s, want %s", clock.Now().Sub(deadline.Add(-150*time.Minute)), got, want.Format(time.RFC3339))
		}
		for _, sess := range s.sessions(t, tok.AccessToken) {
			if exp, err := time.Parse(time.RFC3339, sess.ExpiresAt); err != nil || exp.After(deadline) {
				t.Errorf("session expiresAt %s is after the absolute deadline %s", sess.ExpiresAt, deadline.Format(time.RFC3339))
			}
		}
	}
	clock.Advance(time.Minute) // login + 150m
	s.wantRefused(t, tok.AccessToken, "session_revoked")
	s.wantRefreshRefused(t, tok.RefreshToken)
}

func TestSessionCapEvictsTheLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := startServer(t, map[string]string{"AUTHD_AUTH_MAX_SESSIONS_PER_USER": "2"}, withClock(clock))
	oldest := s.signup(t, "olga@example.com") // created first...
	clock.Advance(time.Minute)
	idle := s.login(t, oldest.Email, oldest.Password)
	clock.Advance(time.Minute)
	used := s.mustRefresh(t, oldest.RefreshToken) // ...but used last
	clock.Advance(time.Minute)
	newest := s.login(t, oldest.Email, oldest.Password)

	s.wantRefused(t, idle.AccessToken, "session_revoked")
	s.wantRefreshRefused(t, idle.RefreshToken)

	s.meUser(t, used.AccessToken)
	s.meUser(t, newest.AccessToken)
	var ids []string
	for _, sess := range s.sessions(t, newest.AccessToken) {
		ids = append(ids, sess.ID)
	}
	want := []string{sessionID(t, newest.AccessToken), sessionID(t, used.AccessToken)}
	if !slices.Equal(ids, want) {
		t.Errorf("active sessions %v, want %v", ids, want)
	}
	s.mustRefresh(t, used.RefreshToken)
}
