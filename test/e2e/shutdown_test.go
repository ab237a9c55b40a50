package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMDrains runs the real binary on PostgreSQL and stops it with
// SIGTERM while a login is in flight: readiness flips at once, requests are
// still served during the shutdown delay, then the listener closes, the
// login in flight completes with its tokens, and the process exits 0.
// `authd healthcheck` follows readiness.
func TestSIGTERMDrains(t *testing.T) {
	t.Parallel()
	p := startBinary(t, buildAuthd(t), map[string]string{
		"AUTHD_HTTP_SHUTDOWN_DELAY":   "5s",
		"AUTHD_HTTP_SHUTDOWN_TIMEOUT": "10s",
	})
	a := p.signup(t, "sig@example.com")
	if code, out := p.run(t, "healthcheck"); code != 0 {
		t.Fatalf("healthcheck on a ready server exited %d: %s", code, out)
	}

	// A login whose body is half sent: the server holds the request. Its
	// handler asks for the body (100 Continue), so it is in flight.
	addr := strings.TrimPrefix(p.URL, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	reader := bufio.NewReader(conn)
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, a.Email, a.Password)
	half := len(body) / 2
	if _, err := fmt.Fprintf(conn, "POST /v1/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n", addr, len(body)); err != nil {
		t.Fatal(err)
	}
	if res, err := http.ReadResponse(reader, nil); err != nil || res.StatusCode != http.StatusContinue {
		t.Fatalf("the login was not taken in: %v %v", res, err)
	}
	if _, err := conn.Write([]byte(body[:half])); err != nil {
		t.Fatal(err)
	}

	signalled := time.Now()
	p.signal(t, syscall.SIGTERM)
	// Readiness flips first, while the server still serves.
	waitFor(t, 4*time.Second, "/readyz to answer 503", func() bool {
		return p.do(t, http.MethodGet, "/readyz", nil).Status == http.StatusServiceUnavailable
	})
	if time.Since(signalled) >= 5*time.Second {
		t.Fatal("readiness flipped only after the shutdown delay")
	}
	p.meUser(t, a.AccessToken)
	if code, _ := p.run(t, "healthcheck"); code == 0 {
		t.Error("healthcheck exited 0 while the server drains")
	}

	// After the delay the listener closes...
	waitFor(t, 10*time.Second, "the listener to close", func() bool {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			return true
		}
		c.Close()
		return false
	})
	if time.Since(signalled) < 5*time.Second {
		t.Errorf("the listener closed %s after the signal, before the 5s delay", time.Since(signalled))
	}
	// ...and the login in flight still completes.
	if _, err := conn.Write([]byte(body[half:])); err != nil {
		t.Fatalf("finish the login body: %v", err)
	}
	res, err := http.ReadResponse(reader, nil)
	if err != nil {
		t.Fatalf("the login in flight got no answer: %v", err)
	}
	defer res.Body.Close()
	var tokens struct{ AccessToken, RefreshToken string }
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&tokens) != nil || tokens.AccessToken == "" {
		t.Fatalf("the login in flight answered %d without tokens", res.StatusCode)
	}

	if code := p.exitCode(t, 15*time.Second); code != 0 {
		t.Fatalf("authd exited %d after SIGTERM, want 0", code)
	}
	if !strings.Contains(p.log.String(), `"msg":"stopped"`) {
		t.Error("no clean stop in the log")
	}
}

// waitFor polls cond every 20ms until it holds, failing the test after
// timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestKeysCommandsAndSIGHUP: `authd keys rotate --activate-in` publishes a key that a SIGHUP makes the
// running server load at once (the reload interval is an hour here), while
// the old key keeps signing until the activation time; `authd keys prune`
// keeps every key a live token may need; `authd cleanup` runs the cleanup
// once.
func TestKeysCommandsAndSIGHUP(t *testing.T) {
	t.Parallel()
	p := startBinary(t, buildAuthd(t), map[string]string{"AUTHD_JWT_KEYS_RELOAD_INTERVAL": "1h", "AUTHD_HTTP_SHUTDOWN_DELAY": "0s"})
	a := p.signup(t, "keys@example.com")
	oldKID := jwtHeader(t, a.AccessToken)["kid"].(string)

	code, out := p.run(t, "keys", "rotate", "--activate-in", "1h")
	if code != 0 || !strings.Contains(out, "published now, signing from") {
		t.Fatalf("keys rotate exited %d: %s", code, out)
	}
	if kids := jwksKIDs(t, p.server); len(kids) != 1 {
		t.Fatalf("the JWKS changed before any reload: %v", kids)
	}
	p.signal(t, syscall.SIGHUP)
	waitFor(t, 5*time.Second, "the rotated key in the JWKS", func() bool { return len(jwksKIDs(t, p.server)) == 2 })
	if kids := jwksKIDs(t, p.server); kids[1] != oldKID {
		t.Fatalf("JWKS %v, want the pending key first and the signing key %s", kids, oldKID)
	}
	if kid := signingKID(t, p.server, a); kid != oldKID {
		t.Fatalf("a key an hour from activation signs: %s", kid)
	}
	if code, out := p.run(t, "keys", "prune"); code != 0 || !strings.Contains(out, "no signing key to prune") {
		t.Fatalf("keys prune exited %d: %s", code, out)
	}
	if code, out := p.run(t, "cleanup"); code != 0 || !strings.Contains(out, "sessions: 0 deleted") || !strings.Contains(out, "audit_events: 0 deleted") {
		t.Fatalf("cleanup exited %d: %s", code, out)
	}
	p.meUser(t, a.AccessToken) // the live session survived the cleanup
	if !strings.Contains(p.log.String(), "SIGHUP: reloading signing keys") {
		t.Error("the reload on SIGHUP was not logged")
	}
	p.signal(t, syscall.SIGTERM)
	if code := p.exitCode(t, 20*time.Second); code != 0 {
		t.Errorf("exit %d after SIGTERM", code)
	}
}
