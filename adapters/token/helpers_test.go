package token

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

type seqIDs struct{ n atomic.Uint64 }

func (g *seqIDs) NewID() string { return fmt.Sprintf("00000000-0000-7000-8000-%012x", g.n.Add(1)) }

var (
	start       = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	testSecret  = []byte("0123456789abcdef0123456789abcdef")
	testClaims  = outbound.AccessClaims{UserID: "u-1", SessionID: "s-1", Role: user.RoleUser}
	testConfig  = Config{Issuer: "authd", Audience: "authd-api", TTL: 15 * time.Minute, Leeway: 30 * time.Second}
	testContext = context.Background()
)

// fixture is an issuer with its keys, clock and keys dir.
type fixture struct {
	tokens *Tokens
	keys   *KeySet
	clock  *system.ManualClock
	dir    string
}

func newFixture(t testing.TB, alg string) fixture {
	t.Helper()
	dir := t.TempDir()
	var keys *KeySet
	var err error
	if alg == HS256 {
		keys, err = NewHMACKeySet(testSecret)
	} else {
		keys, err = LoadKeySet(dir, alg, true)
	}
	if err != nil {
		t.Fatalf("keys: %v", err)
	}
	return fixtureWith(t, keys, dir)
}

func fixtureWith(t testing.TB, keys *KeySet, dir string) fixture {
	t.Helper()
	clock := system.NewManualClock(start)
	cfg := testConfig
	cfg.Algorithm = keys.Algorithm()
	tokens, err := NewIssuer(cfg, keys, clock, &seqIDs{})
	if err != nil {
		t.Fatalf("NewIssuer: %v", err)
	}
	return fixture{tokens: tokens, keys: keys, clock: clock, dir: dir}
}

func (f fixture) issue(t *testing.T) string {
	t.Helper()
	tok, _, err := f.tokens.Issue(testContext, testClaims)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return tok
}

// goodHeader and goodClaims describe a token the fixture accepts; the
// refusal tests change one thing at a time.
func (f fixture) goodHeader() map[string]any {
	return map[string]any{"alg": f.keys.Algorithm(), "typ": "at+jwt", "kid": f.keys.ActiveKID()}
}

func goodClaims() map[string]any {
	now := start.Unix()
	return map[string]any{
		"iss": "authd", "aud": "authd-api", "sub": "u-1", "sid": "s-1", "role": "user",
		"iat": now, "nbf": now, "exp": now + 900, "jti": "j-1",
	}
}

// forge signs arbitrary header and claims with method and key.
func forge(t *testing.T, method jwt.SigningMethod, key any, header, claims map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, jwt.MapClaims(claims))
	tok.Header = header
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("forge: %v", err)
	}
	return s
}

// sign forges with the fixture's own active key.
func (f fixture) sign(t *testing.T, header, claims map[string]any) string {
	t.Helper()
	method, _ := signingMethod(f.keys.Algorithm())
	return forge(t, method, f.keys.active().private, header, claims)
}
