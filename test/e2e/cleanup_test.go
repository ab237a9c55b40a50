package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/ports/inbound"
)

// The cleanup deletes an expired session and one revoked longer ago than
// the retention, and nothing else: a live session and a recently revoked
// one survive, and the live one keeps working.
func TestCleanupRemovesEndedSessionsOnly(t *testing.T) {
	t.Parallel()
	clock := newClock()
	var cleanup inbound.Cleanup
	s := startServer(t, map[string]string{
		"AUTHD_AUTH_SESSION_IDLE_TIMEOUT": "2h",
		"AUTHD_AUDIT_RETENTION":           "1h",
		// The background run happens at startup only in this test.
		"AUTHD_CLEANUP_INTERVAL": "24h",
		// The cleanup of the database's sessions (Redis expires its own
		// keys at their deadline, by Redis's clock, not the test's).
		envSessionsStore: "sql",
	}, withClock(clock), fx.Populate(&cleanup))
	run := func() inbound.CleanupReport {
		t.Helper()
		report, err := cleanup.Handle(context.Background(), inbound.CleanupCommand{})
		if err != nil {
			t.Fatalf("cleanup: %v", err)
		}
		return report
	}

	a := s.signup(t, "keep@example.com")
	expiring := s.login(t, a.Email, a.Password)
	revokedEarly := s.login(t, a.Email, a.Password)
	s.logout(t, revokedEarly.RefreshToken).wantStatus(t, http.StatusNoContent)

	clock.Advance(30 * time.Minute)
	if report := run(); report["sessions"] != 0 {
		t.Fatalf("nothing has ended long enough, yet the cleanup deleted %d sessions", report["sessions"])
	}

	clock.Advance(60 * time.Minute)
	revokedLate := s.login(t, a.Email, a.Password)
	s.logout(t, revokedLate.RefreshToken).wantStatus(t, http.StatusNoContent)
	live := s.mustRefresh(t, a.RefreshToken) // a's session is used, so it lives on

	clock.Advance(40 * time.Minute) // 2h10m: expiring is past its idle timeout
	report := run()
	if report["sessions"] != 2 {
		t.Errorf("the cleanup deleted %d sessions, want 2 (the expired one, the one revoked 2h ago)", report["sessions"])
	}
	if report["audit_events"] == 0 {
		t.Error("no audit event older than the 1h retention was deleted")
	}
	// A swept session is gone: its token is no longer one of a session.
	s.refresh(t, expiring.RefreshToken).wantProblem(t, http.StatusUnauthorized, "refresh_token_invalid")
	s.refresh(t, revokedEarly.RefreshToken).wantProblem(t, http.StatusUnauthorized, "refresh_token_invalid")
	// The recently revoked one is still known as revoked.
	s.refresh(t, revokedLate.RefreshToken).wantProblem(t, http.StatusUnauthorized, "session_revoked")
	// The live session works on.
	next := s.mustRefresh(t, live.RefreshToken)
	s.meUser(t, next.AccessToken)
	if sessions := s.sessions(t, next.AccessToken); len(sessions) != 1 {
		t.Errorf("live sessions %+v, want the one that was in use", sessions)
	}
	if report := run(); report["sessions"] != 0 || report["audit_events"] != 0 {
		t.Errorf("a second run deleted %v, want nothing", report)
	}
}
