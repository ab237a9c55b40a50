package token

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

func TestRoundTripEveryAlgorithm(t *testing.T) {
	for _, alg := range []string{EdDSA, RS256, ES256, HS256} {
		t.Run(alg, func(t *testing.T) {
			f := newFixture(t, alg)
			in := outbound.AccessClaims{UserID: testUserID, SessionID: testSessionID, Role: user.RoleAdmin}
			f.clock.Set(start.Add(500 * time.Millisecond))

			tok, issued, err := f.tokens.Issue(testContext, in)
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			if !issued.IssuedAt.Equal(start) || !issued.ExpiresAt.Equal(start.Add(15*time.Minute)) {
				t.Fatalf("issued times = %v, %v; want %v and 15 minutes later", issued.IssuedAt, issued.ExpiresAt, start)
			}
			got, err := f.tokens.Verify(testContext, tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != issued {
				t.Fatalf("Verify = %+v, want %+v", got, issued)
			}

			header, payload := decodeParts(t, tok)
			if header["alg"] != alg || header["typ"] != "at+jwt" || header["kid"] != f.keys.ActiveKID() {
				t.Fatalf("header = %v", header)
			}
			want := map[string]any{
				"iss": "authd", "aud": "authd-api", "sub": testUserID.String(), "sid": testSessionID.String(), "role": "admin",
				"iat": float64(start.Unix()), "nbf": float64(start.Unix()),
				"exp": float64(start.Add(15 * time.Minute).Unix()), "jti": "00000000-0000-7000-8000-000000000001",
			}
			if len(payload) != len(want) {
				t.Fatalf("payload = %v, want %v", payload, want)
			}
			for k, v := range want {
				if payload[k] != v {
					t.Errorf("claim %s = %v, want %v", k, payload[k], v)
				}
			}
		})
	}
}

func decodeParts(t *testing.T, tok string) (header, payload map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	for i, dst := range []*map[string]any{&header, &payload} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
	}
	return header, payload
}

func TestIssueRefusesIncompleteClaims(t *testing.T) {
	f := newFixture(t, EdDSA)
	for name, c := range map[string]outbound.AccessClaims{
		"no user":    {SessionID: testSessionID, Role: user.RoleUser},
		"no session": {UserID: testUserID, Role: user.RoleUser},
		"bad role":   {UserID: testUserID, SessionID: testSessionID, Role: "root"},
	} {
		if _, _, err := f.tokens.Issue(testContext, c); err == nil {
			t.Errorf("%s: Issue succeeded", name)
		}
	}
}

func TestNewIssuerValidatesConfig(t *testing.T) {
	keys, err := NewHMACKeySet(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	ok := testConfig
	ok.Algorithm = HS256
	for name, change := range map[string]func(*Config){
		"algorithm differs from keys": func(c *Config) { c.Algorithm = EdDSA },
		"unknown algorithm":           func(c *Config) { c.Algorithm = "none" },
		"no issuer":                   func(c *Config) { c.Issuer = "" },
		"no audience":                 func(c *Config) { c.Audience = "" },
		"zero ttl":                    func(c *Config) { c.TTL = 0 },
		"leeway over 30s":             func(c *Config) { c.Leeway = MaxLeeway + time.Nanosecond },
		"negative leeway":             func(c *Config) { c.Leeway = -time.Second },
	} {
		cfg := ok
		change(&cfg)
		if _, err := NewIssuer(cfg, keys, system.NewManualClock(start), &seqIDs{}); err == nil {
			t.Errorf("%s: NewIssuer accepted it", name)
		}
	}
	if _, err := NewIssuer(ok, keys, system.NewManualClock(start), &seqIDs{}); err != nil {
		t.Fatalf("valid config refused: %v", err)
	}
}

func TestExpiredTokenIsErrTokenExpired(t *testing.T) {
	f := newFixture(t, EdDSA)
	tok := f.issue(t)
	f.clock.Set(start.Add(time.Hour))

	_, err := f.tokens.Verify(testContext, tok)
	if !errors.Is(err, outbound.ErrTokenExpired) || errors.Is(err, outbound.ErrTokenInvalid) {
		t.Fatalf("Verify = %v, want ErrTokenExpired only", err)
	}
}

func TestExpiredAndOtherwiseWrongIsInvalid(t *testing.T) {
	f := newFixture(t, EdDSA)
	claims := goodClaims()
	claims["exp"] = start.Unix() - 3600
	claims["iss"] = "someone-else"
	_, err := f.tokens.Verify(testContext, f.sign(t, f.goodHeader(), claims))
	if !errors.Is(err, outbound.ErrTokenInvalid) || errors.Is(err, outbound.ErrTokenExpired) {
		t.Fatalf("Verify = %v, want ErrTokenInvalid", err)
	}
}

// With a 30 s leeway, exp is honoured until 30 s after it, and nbf/iat are
// accepted up to 30 s in the future, but not one second more.
func TestLeewayBoundaries(t *testing.T) {
	f := newFixture(t, EdDSA)
	now := start.Unix()
	cases := []struct {
		name    string
		claim   string
		value   int64
		wantErr error
	}{
		{"exp 29s ago", "exp", now - 29, nil},
		{"exp exactly 30s ago", "exp", now - 30, outbound.ErrTokenExpired},
		{"exp 31s ago", "exp", now - 31, outbound.ErrTokenExpired},
		{"nbf 30s ahead", "nbf", now + 30, nil},
		{"nbf 31s ahead", "nbf", now + 31, outbound.ErrTokenInvalid},
		{"iat 30s ahead", "iat", now + 30, nil},
		{"iat 31s ahead", "iat", now + 31, outbound.ErrTokenInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			claims := goodClaims()
			claims[tc.claim] = tc.value
			_, err := f.tokens.Verify(testContext, f.sign(t, f.goodHeader(), claims))
			if tc.wantErr == nil && err != nil {
				t.Fatalf("Verify = %v, want success", err)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("Verify = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestZeroLeewayIsExact(t *testing.T) {
	f := newFixture(t, EdDSA)
	cfg := testConfig
	cfg.Algorithm, cfg.Leeway = EdDSA, 0
	strict, err := NewIssuer(cfg, f.keys, f.clock, &seqIDs{})
	if err != nil {
		t.Fatal(err)
	}
	claims := goodClaims()
	claims["nbf"] = start.Unix() + 1
	if _, err := strict.Verify(testContext, f.sign(t, f.goodHeader(), claims)); !errors.Is(err, outbound.ErrTokenInvalid) {
		t.Fatalf("nbf 1s ahead with no leeway: Verify = %v, want ErrTokenInvalid", err)
	}
}
