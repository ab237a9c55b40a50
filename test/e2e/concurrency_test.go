package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/test/pgtest"
)

// startCluster starts n application graphs on one database and one keys
// directory, as n instances behind a load balancer would run.
func startCluster(t *testing.T, n int, env map[string]string, opts ...fx.Option) []*server {
	t.Helper()
	shared := map[string]string{envDatabaseURL: pgtest.NewDatabaseURL(t), envKeysDir: t.TempDir()}
	maps.Copy(shared, sessionStoreEnv(t)) // one session store for all of them too
	for k, v := range env {
		shared[k] = v
	}
	servers := make([]*server, n)
	for i := range servers {
		// One after the other: the first creates the keys the others load.
		servers[i] = startServer(t, shared, opts...)
	}
	return servers
}

// outcome is one concurrent request's result, gathered without calling
// t.Fatal off the test goroutine.
type outcome struct {
	status int
	tokens tokenResponse
	body   string
	err    error
}

// race sends n POSTs of body to path at once, spread over the servers.
func race(servers []*server, n int, path string, body any) []outcome {
	raw, _ := json.Marshal(body)
	out := make([]outcome, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		s := servers[i%len(servers)]
		wg.Go(func() {
			<-start
			res, err := s.client.Post(s.URL+path, "application/json", bytes.NewReader(raw))
			if err != nil {
				out[i].err = err
				return
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			out[i] = outcome{status: res.StatusCode, body: string(b), err: err}
			if err == nil && res.StatusCode == http.StatusOK {
				out[i].err = json.Unmarshal(b, &out[i].tokens)
			}
		})
	}
	close(start)
	wg.Wait()
	return out
}

func TestConcurrentRefreshesAcrossInstancesShareOneSuccessor(t *testing.T) {
	t.Parallel()
	clock := newClock() // frozen: every request below falls within the grace interval
	servers := startCluster(t, 2, nil, withClock(clock))
	first, second := servers[0], servers[1]
	a := first.signup(t, "rhea@example.com")

	results := race(servers, 20, "/v1/auth/refresh", map[string]any{"refreshToken": a.RefreshToken})
	successor := ""
	for i, r := range results {
		if r.err != nil || r.status != http.StatusOK {
			t.Fatalf("refresh %d: status %d err %v body %s", i, r.status, r.err, r.body)
		}
		if successor == "" {
			successor = r.tokens.RefreshToken
		}
		if r.tokens.RefreshToken != successor {
			t.Errorf("refresh %d got a different successor: the session forked", i)
		}
	}
	if successor == a.RefreshToken {
		t.Fatal("the concurrent refreshes did not rotate the token")
	}
	for _, r := range results[:2] {
		servers[1].meUser(t, r.tokens.AccessToken)
	}

	// Exactly one rotation happened: one session, at its second generation.
	if got := first.storedSessions(t); len(got) != 1 || got[0].Generation != 2 {
		t.Fatalf("stored sessions %+v after 20 concurrent refreshes, want one at generation 2", got)
	}
	// Each refresh left one audit event in the database, whichever store
	// holds the sessions: one rotation, and the others met the grace rule.
	events := queryStrings(t, first.openDB(t), `SELECT type || ':' || count(*) FROM audit_events
		WHERE type IN ('refreshed', 'refresh_grace_hit') GROUP BY type ORDER BY type`)
	if want := []string{"refresh_grace_hit:19", "refreshed:1"}; !slices.Equal(events, want) {
		t.Fatalf("audit events of the 20 refreshes: %v, want %v", events, want)
	}

	// The successor goes on, on either instance, and both agree on its successor.
	next := second.mustRefresh(t, successor)
	if again := first.mustRefresh(t, successor); again.RefreshToken != next.RefreshToken {
		t.Error("the two instances disagree on the successor's successor")
	}

	// Past the grace interval the original token is reuse, and the one chain dies.
	clock.Advance(11 * time.Second)
	first.refresh(t, a.RefreshToken).wantProblem(t, http.StatusUnauthorized, "refresh_token_reused")
	second.wantRefreshRefused(t, next.RefreshToken)
	second.wantRefused(t, next.AccessToken, "session_revoked")
}

func TestConcurrentLoginsAcrossInstancesRespectTheSessionCap(t *testing.T) {
	t.Parallel()
	const limit = 3
	servers := startCluster(t, 2, map[string]string{"AUTHD_AUTH_MAX_SESSIONS_PER_USER": fmt.Sprint(limit)})
	a := servers[0].signup(t, "sven@example.com")

	results := race(servers, 12, "/v1/auth/login", map[string]any{"email": a.Email, "password": a.Password})
	live := 0
	for i, r := range results {
		if r.err != nil || r.status != http.StatusOK {
			t.Fatalf("login %d: status %d err %v body %s", i, r.status, r.err, r.body)
		}
		if servers[0].me(t, r.tokens.AccessToken).Status == http.StatusOK {
			live++
		}
	}
	unrevoked := 0
	for _, stored := range servers[0].storedSessions(t) {
		if !stored.Revoked {
			unrevoked++
		}
	}
	if live != limit || unrevoked != limit {
		t.Errorf("%d logins left %d usable access tokens and %d unrevoked sessions, want %d", len(results), live, unrevoked, limit)
	}
}

// TestConcurrentLoginsOfOneUserAllSucceed: a user signing in from several
// tabs at once, far below the session cap, gets a session in each.
func TestConcurrentLoginsOfOneUserAllSucceed(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "tove@example.com")

	results := race([]*server{s}, 6, "/v1/auth/login", map[string]any{"email": a.Email, "password": a.Password})
	for i, r := range results {
		if r.err != nil || r.status != http.StatusOK {
			t.Errorf("login %d: status %d err %v body %s", i, r.status, r.err, r.body)
		}
	}
	if n := len(s.sessions(t, a.AccessToken)); n != 7 {
		t.Errorf("%d active sessions after signup and 6 logins, want 7", n)
	}
}
