package token

import (
	"cmp"
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
	// activates is when the key starts signing; zero for a key that signs
	// from the moment it is loaded (a first key, a key file without an
	// activation time).
	activates time.Time
}

// KeySet holds the keys of one algorithm as one load of the keys directory
// found them. Which key signs depends on the time: the key whose activation
// time is the latest one not in the future (ties go to the greater kid), so
// a key written by a rotation is published first and signs only from its
// activation time, and every instance reading the same directory agrees.
// Every key of the set verifies. It is read-only after construction and
// safe for concurrent use.
type KeySet struct {
	alg  string
	keys map[string]signingKey
	// order is every kid by activation time, then kid: each key signs until
	// the next one activates.
	order []string
}

// KeySource hands out the key set in force: a KeySet is its own, a KeyRing
// hands out the latest load of the keys directory.
type KeySource interface {
	KeySet() *KeySet
}

// KeySet returns ks itself.
func (ks *KeySet) KeySet() *KeySet { return ks }

// LoadKeySet loads every key for alg from the PEM files in dir. Files
// holding keys of another algorithm are skipped, so a directory can outlive
// a change of jwt.algorithm. When dir holds no key for alg, LoadKeySet
// generates one (signing at once) if generateIfMissing is set (development)
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
		file, err := readKeyFile(dir, kid)
		if err != nil {
			return nil, err
		}
		ok, err := fitsAlgorithm(file.signer, alg)
		if err != nil {
			return nil, fmt.Errorf("token: key file %s: %w", filepath.Join(dir, kid+keyFileExt), err)
		}
		if ok {
			ks.add(signingKey{kid: kid, private: file.signer, public: file.signer.Public(), activates: file.activates})
		}
	}
	if len(ks.order) > 0 {
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

// GenerateKey writes a new private key for alg to dir that signs as soon as
// it is loaded, and returns its kid: `authd keys generate` and the key made
// in development. Rotation uses RotateKey, which delays signing.
func GenerateKey(dir, alg string) (kid string, err error) {
	return RotateKey(dir, alg, time.Time{})
}

// RotateKey writes a new private key for alg to dir that is published as
// soon as it is loaded and signs from activates on (zero: at once), and
// returns its kid. The activation time is stored in the key file, so every
// instance sharing dir switches at the same moment.
func RotateKey(dir, alg string, activates time.Time) (kid string, err error) {
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
	if err := writeKeyFile(dir, kid, keyFile{signer: signer, activates: activates}); err != nil {
		return "", err
	}
	return kid, nil
}

// add inserts a key, keeping order sorted.
func (ks *KeySet) add(k signingKey) {
	ks.keys[k.kid] = k
	ks.order = append(ks.order, k.kid)
	slices.SortFunc(ks.order, func(a, b string) int {
		if c := ks.keys[a].activates.Compare(ks.keys[b].activates); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// Algorithm returns the JWS alg every key of the set signs with.
func (ks *KeySet) Algorithm() string { return ks.alg }

// ActiveKID returns the kid of the key that signs now.
func (ks *KeySet) ActiveKID() string { return ks.signer(time.Now()).kid }

// KIDs returns the kids of all keys, the one activating last first.
func (ks *KeySet) KIDs() []string {
	out := slices.Clone(ks.order)
	slices.Reverse(out)
	return out
}

// signer returns the key that signs at now: the one activated last. Should
// no key have activated yet (the keys that signed were removed by hand),
// the first to activate signs rather than none.
func (ks *KeySet) signer(now time.Time) signingKey {
	i, _ := slices.BinarySearchFunc(ks.order, now, func(kid string, t time.Time) int {
		if ks.keys[kid].activates.After(t) {
			return 1
		}
		return -1
	})
	return ks.keys[ks.order[max(i-1, 0)]]
}

// retiredAt returns when the key at position i of order stopped (or will
// stop) signing, and false while nothing is set to replace it.
func (ks *KeySet) retiredAt(i int) (time.Time, bool) {
	if i+1 >= len(ks.order) {
		return time.Time{}, false
	}
	return ks.keys[ks.order[i+1]].activates, true
}

// verificationKey returns the public key (or HMAC secret) for kid, looking
// only among the set's own keys.
func (ks *KeySet) verificationKey(kid string) (any, bool) {
	k, ok := ks.keys[kid]
	return k.public, ok
}

// publicKeys returns the asymmetric public keys that may still verify a
// live token at now, the one activating last first: pending keys, the
// signing key, and keys replaced less than retain ago (retain is the
// access-token lifetime plus the leeway). retain < 0 returns every key.
// None under HS256, where the secret must never be published.
func (ks *KeySet) publicKeys(now time.Time, retain time.Duration) []signingKey {
	if ks.alg == HS256 {
		return nil
	}
	out := make([]signingKey, 0, len(ks.order))
	for i := len(ks.order) - 1; i >= 0; i-- {
		if retired, ok := ks.retiredAt(i); ok && retain >= 0 && !now.Before(retired.Add(retain)) {
			continue
		}
		out = append(out, ks.keys[ks.order[i]])
	}
	return out
}

// Expired returns the kids of the keys that can no longer verify a live
// token at now: replaced by a newer key more than retain ago.
func (ks *KeySet) Expired(now time.Time, retain time.Duration) []string {
	var out []string
	for i, kid := range ks.order {
		if retired, ok := ks.retiredAt(i); ok && !now.Before(retired.Add(retain)) {
			out = append(out, kid)
		}
	}
	return out
}
