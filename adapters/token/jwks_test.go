package token

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// Every published key, rebuilt from its JWK alone, verifies a token the
// server issued: the encoding is right, not merely present.
func TestJWKSKeysVerifyIssuedTokens(t *testing.T) {
	for _, alg := range []string{EdDSA, RS256, ES256} {
		t.Run(alg, func(t *testing.T) {
			f := newFixture(t, alg)
			tok := f.issue(t)

			raw, err := json.Marshal(f.keys.JWKS())
			if err != nil {
				t.Fatal(err)
			}
			var set struct{ Keys []map[string]string }
			if err := json.Unmarshal(raw, &set); err != nil {
				t.Fatal(err)
			}
			if len(set.Keys) != 1 {
				t.Fatalf("JWKS = %s, want one key", raw)
			}
			jwk := set.Keys[0]
			if jwk["kid"] != f.keys.ActiveKID() || jwk["use"] != "sig" || jwk["alg"] != alg {
				t.Fatalf("JWK = %v", jwk)
			}
			for _, private := range []string{"d", "p", "q", "dp", "dq", "qi", "k"} {
				if _, ok := jwk[private]; ok {
					t.Fatalf("JWK publishes private parameter %q", private)
				}
			}
			pub := publicKeyFromJWK(t, jwk)
			_, err = jwt.Parse(tok, func(*jwt.Token) (any, error) { return pub, nil },
				jwt.WithValidMethods([]string{alg}), jwt.WithTimeFunc(f.clock.Now))
			if err != nil {
				t.Fatalf("token does not verify with the published key: %v", err)
			}
		})
	}
}

func TestJWKSIsEmptyUnderHS256(t *testing.T) {
	ks, err := NewHMACKeySet(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(ks.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != `{"keys":[]}` {
		t.Fatalf("JWKS = %s, want {\"keys\":[]}", raw)
	}
}

func publicKeyFromJWK(t *testing.T, jwk map[string]string) any {
	t.Helper()
	field := func(name string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(jwk[name])
		if err != nil || len(b) == 0 {
			t.Fatalf("JWK %s = %q: %v", name, jwk[name], err)
		}
		return b
	}
	switch jwk["kty"] {
	case "OKP":
		if jwk["crv"] != "Ed25519" {
			t.Fatalf("crv = %s", jwk["crv"])
		}
		return ed25519.PublicKey(field("x"))
	case "RSA":
		n, e := new(big.Int).SetBytes(field("n")), new(big.Int).SetBytes(field("e"))
		if jwk["e"] != "AQAB" || n.BitLen() < 2048 {
			t.Fatalf("RSA JWK e=%s n bits=%d", jwk["e"], n.BitLen())
		}
		return &rsa.PublicKey{N: n, E: int(e.Int64())}
	case "EC":
		x, y := field("x"), field("y")
		if jwk["crv"] != "P-256" || len(x) != 32 || len(y) != 32 {
			t.Fatalf("EC JWK crv=%s len(x)=%d len(y)=%d, want P-256 with 32-byte coordinates", jwk["crv"], len(x), len(y))
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		if err != nil {
			t.Fatalf("EC point: %v", err)
		}
		return pub
	}
	t.Fatalf("kty = %q", jwk["kty"])
	return nil
}
