package token

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"
)

// signingKey is one key of a KeySet. For HS256, private and public are the
// same secret.
type signingKey struct {
	kid     string
	private any // crypto.Signer, or []byte under HS256
	public  any // crypto.PublicKey, or []byte under HS256
}

// KeySet holds the keys of one algorithm: the active key, which signs new
// tokens, and older keys, which still verify the tokens they signed. It is
// read-only after construction and safe for concurrent use.
type KeySet struct {
	alg  string
	keys map[string]signingKey
	kids []string // newest first; kids[0] is the active key
}

// LoadKeySet loads every key for alg from the PEM files in dir and makes the
// newest one active. Files holding keys of another algorithm are skipped, so
// a directory can outlive a change of jwt.algorithm. When dir holds no key
// for alg, LoadKeySet generates one if generateIfMissing is set (development)
// and fails otherwise (production). HS256 has no key files: use
// NewHMACKeySet.
func LoadKeySet(dir, alg string, generateIfMissing bool) (*KeySet, error) {
	if _, err := signingMethod(alg); err != nil {
		return nil, err
	}
	if alg == HS256 {
		return nil, fmt.Errorf("token: %s keys come from the configured secret, not from %s", HS256, dir)
	}
	kids, err := listKIDs(dir)
	if err != nil {
		return nil, err
	}
	ks := &KeySet{alg: alg, keys: make(map[string]signingKey)}
	for _, kid := range kids {
		if _, err := kidTime(kid); err != nil {
			return nil, fmt.Errorf("token: key file %s: %w", filepath.Join(dir, kid+keyFileExt), err)
		}
		signer, err := readKeyFile(dir, kid)
		if err != nil {
			return nil, err
		}
		ok, err := fitsAlgorithm(signer, alg)
		if err != nil {
			return nil, fmt.Errorf("token: key file %s: %w", filepath.Join(dir, kid+keyFileExt), err)
		}
		if ok {
			ks.add(signingKey{kid: kid, private: signer, public: signer.Public()})
		}
	}
	if len(ks.kids) > 0 {
		return ks, nil
	}
	if !generateIfMissing {
		return nil, fmt.Errorf("token: no %s signing key in %s (create one with `authd keys generate`)", alg, dir)
	}
	if _, err := GenerateKey(dir, alg); err != nil {
		return nil, err
	}
	return LoadKeySet(dir, alg, false)
}

// NewHMACKeySet makes the one-key set of HS256 from the shared secret, which
// must be at least 32 bytes (RFC 7518 §3.2: a key at least as long as the
// hash output). Its kid is derived from the secret; its JWKS is empty.
func NewHMACKeySet(secret []byte) (*KeySet, error) {
	if len(secret) < minHMACSecretLen {
		return nil, fmt.Errorf("token: the %s secret must be at least %d bytes", HS256, minHMACSecretLen)
	}
	key := slices.Clone(secret)
	ks := &KeySet{alg: HS256, keys: make(map[string]signingKey)}
	ks.add(signingKey{kid: hmacKID(key), private: key, public: key})
	return ks, nil
}

// GenerateKey writes a new private key for alg to dir and returns its kid.
// The new key sorts after every key already there, so it becomes the active
// key on the next load while the older keys keep verifying: this is both
// `authd keys generate` and `authd keys rotate`.
func GenerateKey(dir, alg string) (kid string, err error) {
	existing, err := listKIDs(dir)
	if err != nil {
		return "", err
	}
	signer, err := newPrivateKey(alg)
	if err != nil {
		return "", err
	}
	kid, err = newKID(time.Now(), existing)
	if err != nil {
		return "", err
	}
	if err := writeKeyFile(dir, kid, signer); err != nil {
		return "", err
	}
	return kid, nil
}

// add inserts a key, keeping kids ordered newest first.
func (ks *KeySet) add(k signingKey) {
	ks.keys[k.kid] = k
	ks.kids = append(ks.kids, k.kid)
	slices.Sort(ks.kids)
	slices.Reverse(ks.kids)
}

// Algorithm returns the JWS alg every key of the set signs with.
func (ks *KeySet) Algorithm() string { return ks.alg }

// ActiveKID returns the kid of the key that signs new tokens.
func (ks *KeySet) ActiveKID() string { return ks.kids[0] }

// KIDs returns the kids of all keys, newest (active) first.
func (ks *KeySet) KIDs() []string { return slices.Clone(ks.kids) }

func (ks *KeySet) active() signingKey { return ks.keys[ks.kids[0]] }

// verificationKey returns the public key (or HMAC secret) for kid, looking
// only among the set's own keys.
func (ks *KeySet) verificationKey(kid string) (any, bool) {
	k, ok := ks.keys[kid]
	return k.public, ok
}

// publicKeys returns the asymmetric public keys, newest first; none under
// HS256, where the secret must never be published.
func (ks *KeySet) publicKeys() []signingKey {
	if ks.alg == HS256 {
		return nil
	}
	out := make([]signingKey, 0, len(ks.kids))
	for _, kid := range ks.kids {
		out = append(out, ks.keys[kid])
	}
	return out
}
