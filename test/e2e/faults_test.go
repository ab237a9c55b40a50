package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/test/pgtest"
)

// chain is one client following its own refresh-token chain, as a real
// client does: a 5xx or a broken connection is retried with the same
// token (the contract allows it), a 200 moves to the successor, and a 401
// means the user was logged out.
type chain struct {
	mu        sync.Mutex
	token     string
	ok        int
	retried   int
	loggedOut string // the problem code of a 401, if any
}

// counts reads the chain's progress.
func (c *chain) counts() (ok int, loggedOut string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ok, c.loggedOut
}

// refreshOnce presents the chain's token once.
func (c *chain) refreshOnce(s *server) {
	c.mu.Lock()
	defer c.mu.Unlock()
	raw, _ := json.Marshal(map[string]string{"refreshToken": c.token})
	res, err := s.client.Post(s.URL+"/v1/auth/refresh", "application/json", strings.NewReader(string(raw)))
	if err != nil {
		c.retried++
		return
	}
	defer res.Body.Close()
	var body struct {
		RefreshToken string `json:"refreshToken"`
		Code         string `json:"code"`
	}
	_ = json.NewDecoder(res.Body).Decode(&body)
	switch {
	case res.StatusCode == http.StatusOK:
		c.token = body.RefreshToken
		c.ok++
	case res.StatusCode == http.StatusUnauthorized:
		c.loggedOut = body.Code
	default:
		c.retried++
	}
}

// faultEnv is a server whose database calls give up after timeout.
func faultEnv(databaseURL string, timeout time.Duration) map[string]string {
	return map[string]string{envDatabaseURL: databaseURL, "AUTHD_DATABASE_QUERY_TIMEOUT": timeout.String()}
}

// The database is stopped and started again while clients follow their
// refresh-token chains: requests fail with 503 while it is down, and no
// chain is logged out.
func TestRefreshChainsSurviveADatabaseRestart(t *testing.T) {
	pc := pgtest.NewCluster(t)
	s := startServer(t, faultEnv(pc.URL(), 2*time.Second))
	const clients = 8
	chains := make([]*chain, clients)
	for i := range chains {
		chains[i] = &chain{token: s.signup(t, fmt.Sprintf("chain%d@example.com", i)).RefreshToken}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for _, c := range chains {
		wg.Go(func() {
			for ctx.Err() == nil {
				if _, out := c.counts(); out != "" {
					return
				}
				c.refreshOnce(s)
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
	time.Sleep(time.Second)
	pc.Stop()
	time.Sleep(3 * time.Second)
	pc.Start()
	before := make([]int, clients)
	for i, c := range chains {
		before[i], _ = c.counts()
	}
	// Let every chain rotate a few times on the restarted database.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		done := true
		for i, c := range chains {
			ok, out := c.counts()
			done = done && (ok >= before[i]+3 || out != "")
		}
		if done {
			break
		}
	}
	cancel()
	wg.Wait()
	retried := 0
	for i, c := range chains {
		if c.loggedOut != "" {
			t.Errorf("chain %d was logged out: %s", i, c.loggedOut)
		}
		if c.ok < before[i]+3 {
			t.Errorf("chain %d rotated %d times after the restart, want 3", i, c.ok-before[i])
		}
		retried += c.retried
	}
	if retried == 0 {
		t.Error("no request failed while the database was down: the fault was not reproduced")
	}
	t.Logf("%d requests failed and were retried while the database was down", retried)
}

// A rotation commits but its answer is lost between the database and
// authd: authd cannot know it committed, answers 503, and the client's
// retry with the same token, once the database answers again, gets the
// successor the rotation made (the grace rule), not a logout.
func TestLostRefreshAnswerRetriedAfterTheDatabaseReturns(t *testing.T) {
	pc := pgtest.NewCluster(t)
	u, err := url.Parse(pc.URL())
	if err != nil {
		t.Fatal(err)
	}
	proxy := newPGProxy(t, u.Host)
	u.Host = proxy.addr()
	// The fault is a lost answer to the SQL COMMIT of a rotation: the
	// sessions must live in the database whatever the suite's store.
	env := faultEnv(u.String(), 2*time.Second)
	env[envSessionsStore] = "sql"
	s := startServer(t, env)
	a := s.signup(t, "lost@example.com")

	proxy.loseNext.Store(true)
	res := s.do(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refreshToken": a.RefreshToken})
	select {
	case <-proxy.lost:
	default:
		t.Fatalf("the proxy lost no answer; the refresh got %d %s", res.Status, res.Body)
	}
	res.wantProblem(t, http.StatusServiceUnavailable, "unavailable")
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	// authd answered as soon as its connection was cut; the server may
	// still be finishing the COMMIT it received, so wait for it (bounded).
	db := s.openDB(t)
	var gen []string
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		gen = queryStrings(t, db, `SELECT generation FROM sessions`)
		if (len(gen) == 1 && gen[0] == "2") || time.Now().After(deadline) {
			break
		}
	}
	if len(gen) != 1 || gen[0] != "2" {
		t.Fatalf("generation %v: the lost rotation must have committed", gen)
	}

	retry := s.do(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refreshToken": a.RefreshToken}).tokens(t, http.StatusOK)
	again := s.do(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refreshToken": a.RefreshToken}).tokens(t, http.StatusOK)
	if retry.RefreshToken != again.RefreshToken {
		t.Fatal("two retries of the lost rotation got different successors")
	}
	next := s.do(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refreshToken": retry.RefreshToken}).tokens(t, http.StatusOK)
	if next.RefreshToken == retry.RefreshToken {
		t.Fatal("the successor did not rotate")
	}
}

// Two refreshes of one token while the session row is locked (a slow
// database) for longer than the grace interval: both wait for the lock,
// the first rotates, and the second, which arrived more than the grace
// after the first, still gets the same successor, because the grace counts
// from the rotation, taken under the lock.
func TestConcurrentRefreshesWithTheRowLockedLongerThanTheGrace(t *testing.T) {
	// The fault is a session row held locked in the database: the sessions
	// must live there whatever the suite's store.
	s := startServer(t, map[string]string{
		"AUTHD_AUTH_REFRESH_REUSE_GRACE": "1s", "AUTHD_DATABASE_QUERY_TIMEOUT": "10s", envSessionsStore: "sql",
	})
	a := s.signup(t, "locked@example.com")
	locker := s.openDB(t)
	tx, err := locker.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`SELECT id FROM sessions WHERE user_id = $1 FOR UPDATE`, a.User.ID); err != nil {
		t.Fatal(err)
	}
	results := make(chan outcome, 2)
	send := func() {
		out := race([]*server{s}, 1, "/v1/auth/refresh", map[string]string{"refreshToken": a.RefreshToken})
		results <- out[0]
	}
	go send()
	time.Sleep(1500 * time.Millisecond) // B arrives past the grace after A
	go send()
	time.Sleep(1500 * time.Millisecond)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	first, second := <-results, <-results
	for _, o := range []outcome{first, second} {
		if o.err != nil || o.status != http.StatusOK {
			t.Fatalf("refresh: %d %s %v", o.status, o.body, o.err)
		}
	}
	if first.tokens.RefreshToken != second.tokens.RefreshToken {
		t.Fatal("the two refreshes got different successors")
	}
}

// A stalled database (every backend frozen) is answered 503 unavailable,
// with Retry-After, within the deadline, and logged without the DSN's
// user, database or host; once it thaws, authd serves again without a
// restart.
func TestStalledDatabaseIsAnswered503WithinTheDeadline(t *testing.T) {
	pc := pgtest.NewCluster(t)
	logs := observeLogs(t)
	s := startServer(t, faultEnv(pc.URL(), time.Second))
	a := s.signup(t, "stall@example.com")
	// Bearer checks must reach the database (the token cache holds only
	// the token's own claims).
	s.do(t, http.MethodGet, "/v1/auth/me", nil, bearer(a.AccessToken)).wantStatus(t, http.StatusOK)

	pc.Stall()
	for _, call := range []func() response{
		func() response { return s.do(t, http.MethodGet, "/v1/auth/me", nil, bearer(a.AccessToken)) },
		func() response {
			return s.do(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refreshToken": a.RefreshToken})
		},
		func() response {
			return s.do(t, http.MethodPost, "/v1/auth/login", map[string]string{"email": a.Email, "password": a.Password})
		},
	} {
		begin := time.Now()
		res := call()
		took := time.Since(begin)
		res.wantProblem(t, http.StatusServiceUnavailable, "unavailable")
		if res.Header.Get("Retry-After") == "" {
			t.Error("503 without Retry-After")
		}
		if took > 4*time.Second {
			t.Errorf("answered after %v with a 1s deadline", took)
		}
	}
	pc.Resume()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res := s.do(t, http.MethodGet, "/v1/auth/me", nil, bearer(a.AccessToken))
		if res.Status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("authd did not recover after the database thawed: %d %s", res.Status, res.Body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	u, _ := url.Parse(pc.URL())
	warnings := 0
	for _, e := range logs.All() {
		if e.Message == "effective configuration" {
			continue // once at startup, the password masked: by design
		}
		line := e.Message + fmt.Sprint(e.ContextMap())
		for _, secret := range []string{"user=postgres", "database=authd", u.Host} {
			if strings.Contains(line, secret) {
				t.Errorf("log line names the DSN (%q): %s", secret, line)
			}
		}
		if e.Message == "database unavailable; requests that need it are answered 503" {
			warnings++
		}
		if e.Message == "request failed" {
			t.Errorf("an outage was logged per request: %s", line)
		}
	}
	if warnings != 1 {
		t.Errorf("%d outage warnings for one outage within a minute, want 1", warnings)
	}
}
