package token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// The signing algorithms (JWS "alg" values) the server supports.
const (
	EdDSA = "EdDSA" // Ed25519, the default
	RS256 = "RS256" // RSA PKCS#1 v1.5 with SHA-256, keys of at least 2048 bits
	ES256 = "ES256" // ECDSA on P-256 with SHA-256
	HS256 = "HS256" // HMAC-SHA-256 with a shared secret of at least 32 bytes
)

// Key size rules. RSA keys below 2048 bits are refused on load; new ones are
// generated at that size, which is what RS256 deployments commonly expect.
const (
	minRSABits       = 2048
	minHMACSecretLen = 32
)

// signingMethod returns the golang-jwt method for a supported algorithm.
func signingMethod(alg string) (jwt.SigningMethod, error) {
	switch alg {
	case EdDSA:
		return jwt.SigningMethodEdDSA, nil
	case RS256:
		return jwt.SigningMethodRS256, nil
	case ES256:
		return jwt.SigningMethodES256, nil
	case HS256:
		return jwt.SigningMethodHS256, nil
	}
	return nil, fmt.Errorf("token: unsupported algorithm %q (want %s, %s, %s or %s)", alg, EdDSA, RS256, ES256, HS256)
}

// newPrivateKey generates a fresh asymmetric key for alg.
func newPrivateKey(alg string) (crypto.Signer, error) {
	switch alg {
	case EdDSA:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		return priv, err
	case RS256:
		return rsa.GenerateKey(rand.Reader, minRSABits)
	case ES256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case HS256:
		return nil, fmt.Errorf("token: %s uses the configured secret, not a key file", HS256)
	}
	_, err := signingMethod(alg)
	return nil, err
}

// fitsAlgorithm reports whether a private key loaded from disk can sign
// under alg, and returns the reason when it is of the right family but
// too weak or on the wrong curve.
func fitsAlgorithm(key crypto.Signer, alg string) (bool, error) {
	switch k := key.(type) {
	case ed25519.PrivateKey:
		return alg == EdDSA, nil
	case *rsa.PrivateKey:
		if alg != RS256 {
			return false, nil
		}
		if k.N.BitLen() < minRSABits {
			return false, fmt.Errorf("RSA key has %d bits, at least %d are required", k.N.BitLen(), minRSABits)
		}
		return true, nil
	case *ecdsa.PrivateKey:
		if alg != ES256 {
			return false, nil
		}
		if k.Curve != elliptic.P256() {
			return false, fmt.Errorf("ECDSA key is on %s, %s needs P-256", k.Curve.Params().Name, ES256)
		}
		return true, nil
	}
	return false, nil
}
