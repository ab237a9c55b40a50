package token

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

type seqIDs struct{ n atomic.Uint64 }

func (g *seqIDs) NewID() ident.UUID {
	id, err := ident.Parse(fmt.Sprintf("00000000-0000-7000-8000-%012x", g.n.Add(1)))
	if err != nil {
		panic(err)
	}
	return id
}

var (
	start         = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	testSecret    = []byte("0123456789abcdef0123456789abcdef")
	testUserID    = mustParse(user.ParseID, "01890a5d-ac96-774b-bcce-b302099a8001")
	testSessionID = mustParse(session.ParseID, "01890a5d-ac96-774b-bcce-b302099a8002")
	testClaims    = outbound.AccessClaims{UserID: testUserID, SessionID: testSessionID, Role: user.RoleUser}
	testConfig    = Config{Issuer: "authd", Audience: "authd-api", TTL: 15 * time.Minute, Leeway: 30 * time.Second}
	testContext   = context.Background()
)

func mustParse[T any](parse func(string) (T, error), s string) T {
	v, err := parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

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
		"iss": "authd", "aud": "authd-api", "sub": testUserID.String(), "sid": testSessionID.String(), "role": "user",
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
	return forge(t, method, f.keys.signer(f.clock.Now()).private, header, claims)
}
