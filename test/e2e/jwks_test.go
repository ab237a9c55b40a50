package e2e

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// jwk is one member of the JWKS document, as generic JSON.
type jwk map[string]any

func (k jwk) str(name string) string { s, _ := k[name].(string); return s }

// jwks fetches /.well-known/jwks.json.
func (s *server) jwks(t *testing.T) []jwk {
	t.Helper()
	r := s.do(t, http.MethodGet, "/.well-known/jwks.json", nil)
	r.wantStatus(t, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/jwk-set+json") {
		t.Errorf("JWKS Content-Type %q", ct)
	}
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	r.decode(t, &doc)
	if doc.Keys == nil {
		t.Fatalf("JWKS has no keys array: %s", r.Body)
	}
	for _, k := range doc.Keys {
		for _, private := range []string{"d", "p", "q", "dp", "dq", "qi", "k"} {
			if _, ok := k[private]; ok {
				t.Errorf("JWKS key %s publishes private member %q", k.str("kid"), private)
			}
		}
	}
	return doc.Keys
}

// jwksKeyFor returns the public key the JWKS lists for the token's kid,
// after checking its use and alg.
func (s *server) jwksKeyFor(t *testing.T, token string) any {
	t.Helper()
	kid, _ := jwtHeader(t, token)["kid"].(string)
	alg, _ := jwtHeader(t, token)["alg"].(string)
	for _, k := range s.jwks(t) {
		if k.str("kid") != kid {
			continue
		}
		if k.str("use") != "sig" || k.str("alg") != alg {
			t.Errorf("JWKS key %s has use %q alg %q, want sig %s", kid, k.str("use"), k.str("alg"), alg)
		}
		return k.publicKey(t)
	}
	t.Fatalf("JWKS does not list the token's kid %q", kid)
	return nil
}

// publicKey builds the Go public key a JWK describes.
func (k jwk) publicKey(t *testing.T) any {
	t.Helper()
	b := func(name string) []byte {
		raw, err := base64.RawURLEncoding.DecodeString(k.str(name))
		if err != nil || len(raw) == 0 {
			t.Fatalf("JWK member %s is not unpadded base64url: %q", name, k.str(name))
		}
		return raw
	}
	switch kty := k.str("kty"); {
	case kty == "OKP" && k.str("crv") == "Ed25519":
		return ed25519.PublicKey(b("x"))
	case kty == "RSA":
		return &rsa.PublicKey{N: new(big.Int).SetBytes(b("n")), E: int(new(big.Int).SetBytes(b("e")).Int64())}
	case kty == "EC" && k.str("crv") == "P-256":
		point := append(append([]byte{4}, b("x")...), b("y")...)
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
		if err != nil {
			t.Fatalf("JWK EC point: %v", err)
		}
		return pub
	default:
		t.Fatalf("unexpected JWK kty %q crv %q", kty, k.str("crv"))
		return nil
	}
}

// verifyWith checks a token with golang-jwt the way an independent
// resource server would.
func verifyWith(t *testing.T, token, alg string, key any) {
	t.Helper()
	_, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return key, nil },
		jwt.WithValidMethods([]string{alg}), jwt.WithIssuer("authd"), jwt.WithAudience("authd"),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil {
		t.Errorf("the issued token does not verify with the published key: %v", err)
	}
}

func TestJWKSVerifiesIssuedTokens(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "kate@example.com")

	keys := s.jwks(t)
	if len(keys) == 0 {
		t.Fatal("the JWKS lists no key")
	}
	active := keys[0]
	if active.str("kid") != jwtHeader(t, a.AccessToken)["kid"] {
		t.Errorf("first JWKS key %q is not the signing key", active.str("kid"))
	}
	if active.str("kty") != "OKP" || active.str("crv") != "Ed25519" {
		t.Errorf("EdDSA key published as kty %q crv %q", active.str("kty"), active.str("crv"))
	}
	verifyWith(t, a.AccessToken, "EdDSA", s.jwksKeyFor(t, a.AccessToken))
}

func TestSelectableAlgorithms(t *testing.T) {
	t.Parallel()
	const secret = "0123456789abcdef0123456789abcdef-hs256"
	for _, alg := range []string{"RS256", "ES256", "HS256"} {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"AUTHD_JWT_ALGORITHM": alg}
			if alg == "HS256" {
				env["AUTHD_JWT_SECRET"] = secret
			}
			s := startServer(t, env)
			a := s.signup(t, "lena@example.com")
			s.meUser(t, a.AccessToken)
			tok := s.login(t, a.Email, a.Password)
			s.meUser(t, s.mustRefresh(t, tok.RefreshToken).AccessToken)

			h := jwtHeader(t, a.AccessToken)
			if h["alg"] != alg || h["typ"] != "at+jwt" || h["kid"] == "" || h["kid"] == nil {
				t.Errorf("token header %v, want alg %s, typ at+jwt and a kid", h, alg)
			}
			if alg == "HS256" {
				if keys := s.jwks(t); len(keys) != 0 {
					t.Errorf("HS256 publishes %d keys, want none", len(keys))
				}
				verifyWith(t, a.AccessToken, alg, []byte(secret))
				return
			}
			pub := s.jwksKeyFor(t, a.AccessToken)
			verifyWith(t, a.AccessToken, alg, pub)

			// Algorithm confusion: an HMAC keyed with the published key.
			forged := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(jwtClaims(t, a.AccessToken)))
			forged.Header["kid"], forged.Header["typ"] = h["kid"], "at+jwt"
			for _, hmacKey := range [][]byte{[]byte(s.jwksRaw(t)), pemOf(t, pub)} {
				signed, err := forged.SignedString(hmacKey)
				if err != nil {
					t.Fatal(err)
				}
				s.me(t, signed).wantProblem(t, http.StatusUnauthorized, "token_invalid")
			}
		})
	}
}

// jwksRaw is the JWKS document as served.
func (s *server) jwksRaw(t *testing.T) string {
	t.Helper()
	r := s.do(t, http.MethodGet, "/.well-known/jwks.json", nil)
	r.wantStatus(t, http.StatusOK)
	return string(r.Body)
}
