package e2e

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd/authd/test/redistest"
)

// loadResult is one request of the load: when it was sent and answered,
// and how.
type loadResult struct {
	what       string
	start, end time.Time
	status     int
	code       string
	retryAfter string
}

// loadUntil keeps sending authenticated requests and refreshes, each
// worker following a refresh chain of its own, until stop is closed.
// A refresh that fails keeps its token, as a client retrying would.
func loadUntil(t *testing.T, s *server, tokens []tokenResponse, stop <-chan struct{}) []loadResult {
	t.Helper()
	var (
		mu  sync.Mutex
		out []loadResult
		wg  sync.WaitGroup
	)
	record := func(what string, start time.Time, r response) {
		var p problem
		if r.Status != http.StatusOK && r.Status != http.StatusNoContent {
			r.decode(t, &p)
		}
		mu.Lock()
		out = append(out, loadResult{what, start, time.Now(), r.Status, p.Code, r.Header.Get("Retry-After")})
		mu.Unlock()
	}
	for _, tok := range tokens {
		wg.Go(func() { // authenticated requests
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				record("me", start, s.me(t, tok.AccessToken))
				time.Sleep(5 * time.Millisecond)
			}
		})
		wg.Go(func() { // a refresh chain
			current := tok.RefreshToken
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				r := s.refresh(t, current)
				record("refresh", start, r)
				if r.Status == http.StatusOK {
					var next tokenResponse
					r.decode(t, &next)
					current = next.RefreshToken
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	<-stop
	wg.Wait()
	return out
}

// Redis stopped and started under load, sessions kept (an append-only
// file): every request during the outage fails closed with 503
// unavailable and Retry-After, none is let in or told it is logged out;
// once Redis is back the same server answers again, with no restart, and a
// session revoked before the outage stays revoked.
func TestRedisOutageUnderLoadFailsClosedAndRecovers(t *testing.T) {
	t.Parallel()
	redisSrv := redistest.StartDurable(t)
	s := startServer(t, map[string]string{envSessionsStore: "redis", envSessionsRedisURL: redisSrv.URL()})
	a := s.signup(t, "uma@example.com")
	tokens := []tokenResponse{a.tokenResponse, s.login(t, a.Email, a.Password), s.login(t, a.Email, a.Password)}
	revoked := s.login(t, a.Email, a.Password)
	s.logout(t, revoked.RefreshToken).wantStatus(t, http.StatusNoContent)

	stop := make(chan struct{})
	var stoppedAt, restartedAt, recoveredAt atomic.Value
	go func() {
		defer close(stop)
		time.Sleep(300 * time.Millisecond)
		redisSrv.Stop()
		stoppedAt.Store(time.Now())
		time.Sleep(700 * time.Millisecond)
		restartedAt.Store(time.Now())
		redisSrv.Restart()
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if s.do(t, http.MethodGet, "/readyz", nil).Status == http.StatusOK {
				recoveredAt.Store(time.Now())
				break
			}
		}
		time.Sleep(300 * time.Millisecond)
	}()
	results := loadUntil(t, s, tokens, stop)
	recovered, ok := recoveredAt.Load().(time.Time)
	if !ok {
		t.Fatal("/readyz never answered 200 after Redis came back")
	}
	down, up := stoppedAt.Load().(time.Time), restartedAt.Load().(time.Time)

	var during, after int
	for _, r := range results {
		switch {
		case r.status != http.StatusOK && (r.status != http.StatusServiceUnavailable || r.code != "unavailable" || r.retryAfter == ""):
			t.Errorf("%s answered %d %q (Retry-After %q): want 200, or 503 unavailable with Retry-After", r.what, r.status, r.code, r.retryAfter)
		case r.start.After(down) && r.end.Before(up):
			during++
			if r.status != http.StatusServiceUnavailable {
				t.Errorf("%s sent during the outage answered %d, want 503", r.what, r.status)
			}
		case r.start.After(recovered):
			after++
			if r.status != http.StatusOK {
				t.Errorf("%s sent after recovery answered %d %q, want 200", r.what, r.status, r.code)
			}
		}
	}
	if during == 0 || after == 0 {
		t.Fatalf("%d requests during the outage and %d after recovery: the load did not cover both", during, after)
	}
	// No session came back from the dead.
	s.wantRefused(t, revoked.AccessToken, "session_revoked")
	s.wantRefreshRefused(t, revoked.RefreshToken)
	t.Logf("%d requests: %d during the outage, %d after recovery (%s after Redis restarted)",
		len(results), during, after, recovered.Sub(up).Round(time.Millisecond))
}

// A Redis that comes back empty (no persistence, or a lost host) ends every
// session: nobody gets in on an old token, and signing in again works.
func TestRedisDataLossEndsEverySession(t *testing.T) {
	t.Parallel()
	redisSrv := redistest.Start(t)
	s := startServer(t, map[string]string{envSessionsStore: "redis", envSessionsRedisURL: redisSrv.URL()})
	a := s.signup(t, "vera@example.com")
	redisSrv.Restart() // empty

	for deadline := time.Now().Add(15 * time.Second); s.do(t, http.MethodGet, "/readyz", nil).Status != http.StatusOK; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("/readyz never answered 200 after Redis came back")
		}
	}
	s.wantRefused(t, a.AccessToken, "session_revoked")
	s.refresh(t, a.RefreshToken).wantProblem(t, http.StatusUnauthorized, "refresh_token_invalid")
	again := s.login(t, a.Email, a.Password)
	s.meUser(t, again.AccessToken)
}
