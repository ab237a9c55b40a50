package token

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"time"
)

// JWKS is a JSON Web Key Set (RFC 7517 §5), served at
// /.well-known/jwks.json. Keys is never nil, so it encodes as
// {"keys":[]} when there is nothing to publish.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// JWK is one public verification key (RFC 7517 §4). Which of the key
// parameters are set depends on kty: crv and x for OKP (Ed25519, RFC 8037),
// n and e for RSA, crv, x and y for EC (RFC 7518 §6).
type JWK struct {
	KeyType   string `json:"kty"`
	Use       string `json:"use"`
	Algorithm string `json:"alg"`
	KeyID     string `json:"kid"`
	Curve     string `json:"crv,omitempty"`
	X         string `json:"x,omitempty"`
	Y         string `json:"y,omitempty"`
	N         string `json:"n,omitempty"`
	E         string `json:"e,omitempty"`
}

// JWKS returns the public half of every key in the set, the one activating
// last first. Under HS256 the set is empty.
func (ks *KeySet) JWKS() JWKS { return ks.JWKSAt(time.Time{}, -1) }

// JWKSAt returns the public keys that may verify a live token at now:
// keys waiting for their activation time (published before they sign), the
// signing key, and keys replaced less than retain (the access-token
// lifetime plus the leeway) ago.
func (ks *KeySet) JWKSAt(now time.Time, retain time.Duration) JWKS {
	set := JWKS{Keys: []JWK{}}
	for _, k := range ks.publicKeys(now, retain) {
		jwk := JWK{Use: "sig", Algorithm: ks.alg, KeyID: k.kid}
		switch pub := k.public.(type) {
		case ed25519.PublicKey:
			jwk.KeyType, jwk.Curve, jwk.X = "OKP", "Ed25519", b64(pub)
		case *rsa.PublicKey:
			jwk.KeyType = "RSA"
			jwk.N = b64(pub.N.Bytes())
			jwk.E = b64(big.NewInt(int64(pub.E)).Bytes())
		case *ecdsa.PublicKey:
			// The uncompressed point is 0x04 || X || Y with X and Y at the
			// curve's full width, which is what RFC 7518 §6.2.1.2 asks for.
			point, err := pub.Bytes()
			if err != nil {
				continue // cannot happen for a key that loaded and signs
			}
			size := (len(point) - 1) / 2
			jwk.KeyType, jwk.Curve = "EC", "P-256"
			jwk.X, jwk.Y = b64(point[1:1+size]), b64(point[1+size:])
		default:
			continue
		}
		set.Keys = append(set.Keys, jwk)
	}
	return set
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
