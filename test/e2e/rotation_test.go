package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/adapters/token"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/test/pgtest"
)

// TestKeyRotationWithoutDowntime runs two instances sharing a database and
// a keys directory under a running load of logins, refreshes and /me
// calls, each answered by either instance. Across a rotation, the new key's
// activation and the prune of the old key, no request fails: the new key is
// published by both before either signs with it, and the old key verifies
// its tokens until they expire.
func TestKeyRotationWithoutDowntime(t *testing.T) {
	t.Parallel()
	clock := newClock()
	env := map[string]string{
		envDatabaseURL:                   pgtest.NewDatabaseURL(t),
		envKeysDir:                       t.TempDir(),
		"AUTHD_JWT_KEYS_RELOAD_INTERVAL": "50ms",
	}
	a := startServer(t, env, withClock(clock))
	b := startServer(t, env, withClock(clock))
	instances := []*server{a, b}

	holder := a.signup(t, "holder@example.com")
	oldToken := holder.AccessToken
	oldKID := jwtHeader(t, oldToken)["kid"].(string)

	load := startLoad(t, instances, 4)

	// Rotate, as `authd keys rotate --activate-in 2m` does.
	newKID := rotateKey(t, a, clock, 2*time.Minute)
	for _, s := range instances {
		waitFor(t, 5*time.Second, "the new key in the JWKS", func() bool { return slices.Contains(jwksKIDs(t, s), newKID) })
		if kid := signingKID(t, s, holder); kid != oldKID {
			t.Fatalf("%s signs with %s before the activation time, want %s", s.URL, kid, oldKID)
		}
	}
	load.settle(t)

	// Activation: both switch at the time stored with the key.
	load.phase.Store(1)
	for range 4 {
		clock.Advance(31 * time.Second)
		load.settle(t)
	}
	for _, s := range instances {
		if kid := signingKID(t, s, holder); kid != newKID {
			t.Fatalf("%s signs with %s after the activation time, want %s", s.URL, kid, newKID)
		}
		s.meUser(t, oldToken)
		if kids := jwksKIDs(t, s); !slices.Equal(kids, []string{newKID, oldKID}) {
			t.Fatalf("%s JWKS %v, want the new and the old key", s.URL, kids)
		}
	}
	retain := wiring.KeyRetention(a.Config)
	if pruned, err := token.Prune(a.Config.JWT.KeysDir, "EdDSA", clock.Now(), retain); err != nil || len(pruned) != 0 {
		t.Fatalf("prune while old tokens live removed %v (%v)", pruned, err)
	}

	// The old key's tokens live out their lifetime, then it goes.
	for range 16 {
		clock.Advance(time.Minute)
		load.settle(t)
	}
	for _, s := range instances {
		s.wantRefused(t, oldToken, "token_expired")
		if kids := jwksKIDs(t, s); !slices.Equal(kids, []string{newKID}) {
			t.Fatalf("%s JWKS %v after the old key's tokens expired, want only the new key", s.URL, kids)
		}
	}
	load.phase.Store(2)
	pruned, err := token.Prune(a.Config.JWT.KeysDir, "EdDSA", clock.Now(), retain)
	if err != nil || !slices.Equal(pruned, []string{oldKID}) {
		t.Fatalf("prune = %v, %v; want the old key", pruned, err)
	}
	for _, s := range instances {
		// Once reloaded, the old kid is unknown: invalid, no longer expired.
		waitFor(t, 5*time.Second, "the pruned key to be dropped", func() bool {
			return s.me(t, oldToken).object(t)["code"] == "token_invalid"
		})
	}
	load.settle(t)

	load.stop(t)
}

// rotateKey runs the rotation use case, as `authd keys rotate` does, on the
// test's clock.
func rotateKey(t *testing.T, s *server, clock *system.ManualClock, activateIn time.Duration) string {
	t.Helper()
	var uc inbound.RotateSigningKey
	app := fx.New(wiring.Core(s.Config), withClock(clock), fx.Populate(&uc), fx.NopLogger)
	ctx, cancel := context.WithTimeout(context.Background(), lifecycleTimeout)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer app.Stop(ctx)
	kid, err := uc.Handle(ctx, inbound.RotateSigningKeyCommand{ActivateIn: activateIn})
	if err != nil {
		t.Fatalf("rotate: %v", err)
	}
	return kid
}

// jwksKIDs lists the kids the server publishes, in order.
func jwksKIDs(t *testing.T, s *server) []string {
	t.Helper()
	var kids []string
	for _, k := range s.jwks(t) {
		kids = append(kids, k.str("kid"))
	}
	return kids
}

// signingKID is the kid of a fresh access token of the server.
func signingKID(t *testing.T, s *server, a account) string {
	t.Helper()
	kid, _ := jwtHeader(t, s.login(t, a.Email, a.Password).AccessToken)["kid"].(string)
	return kid
}

// load is a running mix of logins, refreshes and /me calls, each worker
// following its own session across both instances.
type load struct {
	phase    atomic.Int32
	done     [3]atomic.Int64 // iterations completed per phase
	failures chan string
	quit     chan struct{}
	wg       sync.WaitGroup
}

func startLoad(t *testing.T, instances []*server, workers int) *load {
	t.Helper()
	l := &load{failures: make(chan string, 1000), quit: make(chan struct{})}
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range workers {
		acc := instances[0].signup(t, fmt.Sprintf("load%d@example.com", w))
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.work(client, instances, acc)
		}()
	}
	t.Cleanup(func() { l.halt() })
	return l
}

func (l *load) halt() {
	select {
	case <-l.quit:
	default:
		close(l.quit)
	}
	l.wg.Wait()
}

func (l *load) work(client *http.Client, instances []*server, acc account) {
	refresh := acc.RefreshToken
	for i := 0; ; i++ {
		select {
		case <-l.quit:
			return
		default:
		}
		one, other := instances[i%2], instances[(i+1)%2]
		var tokens tokenResponse
		if i%5 == 4 {
			if !l.call(client, one, http.MethodPost, "/v1/auth/login", map[string]string{"email": acc.Email, "password": acc.Password}, "", &tokens) {
				continue
			}
		} else if !l.call(client, one, http.MethodPost, "/v1/auth/refresh", map[string]string{"refreshToken": refresh}, "", &tokens) {
			continue
		}
		refresh = tokens.RefreshToken
		if l.call(client, other, http.MethodGet, "/v1/auth/me", nil, tokens.AccessToken, nil) {
			l.done[l.phase.Load()].Add(1)
		}
	}
}

// call sends one request and reports a non-2xx answer or a transport error
// as a failure.
func (l *load) call(client *http.Client, s *server, method, path string, body any, bearerToken string, out any) bool {
	var buf bytes.Buffer
	if body != nil {
		_ = json.NewEncoder(&buf).Encode(body)
	}
	req, _ := http.NewRequest(method, s.URL+path, &buf)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearerToken != "" {
		req.Header.Set("Authorization", "Bearer "+bearerToken)
	}
	res, err := client.Do(req)
	if err != nil {
		l.fail(fmt.Sprintf("%s %s: %v", method, path, err))
		return false
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		l.fail(fmt.Sprintf("%s %s%s: %d %s", method, s.URL, path, res.StatusCode, raw))
		return false
	}
	if out != nil && json.Unmarshal(raw, out) != nil {
		l.fail(fmt.Sprintf("%s %s: undecodable %s", method, path, raw))
		return false
	}
	return true
}

func (l *load) fail(msg string) {
	select {
	case l.failures <- msg:
	default:
	}
}

// settle lets the load run a little and stops the test at the first failure.
func (l *load) settle(t *testing.T) {
	t.Helper()
	select {
	case msg := <-l.failures:
		t.Fatalf("a request under load failed: %s", msg)
	case <-time.After(150 * time.Millisecond):
	}
}

// stop ends the load and checks that it ran in every phase without a failure.
func (l *load) stop(t *testing.T) {
	t.Helper()
	l.halt()
	close(l.failures)
	for msg := range l.failures {
		t.Errorf("a request under load failed: %s", msg)
	}
	for phase, name := range []string{"before activation", "after activation", "after the prune"} {
		n := l.done[phase].Load()
		t.Logf("%s: %d iterations (refresh or login, then /me on the other instance)", name, n)
		if n == 0 {
			t.Errorf("no load ran %s", name)
		}
	}
}

// The JWKS may be cached for jwt.jwks_max_age and is revalidated by ETag.
func TestJWKSCacheHeaders(t *testing.T) {
	t.Parallel()
	s := startServer(t, map[string]string{"AUTHD_JWT_JWKS_MAX_AGE": "2m"})
	first := s.do(t, http.MethodGet, "/.well-known/jwks.json", nil)
	first.wantStatus(t, http.StatusOK)
	etag := first.Header.Get("ETag")
	if cc := first.Header.Get("Cache-Control"); cc != "public, max-age=120" || etag == "" {
		t.Fatalf("Cache-Control %q, ETag %q", cc, etag)
	}
	again := s.do(t, http.MethodGet, "/.well-known/jwks.json", nil, header("If-None-Match", etag))
	if again.Status != http.StatusNotModified || len(again.Body) != 0 || again.Header.Get("ETag") != etag {
		t.Fatalf("conditional GET: %d, ETag %q, body %q", again.Status, again.Header.Get("ETag"), again.Body)
	}
	s.do(t, http.MethodGet, "/.well-known/jwks.json", nil, header("If-None-Match", `"old"`)).wantStatus(t, http.StatusOK)
}
