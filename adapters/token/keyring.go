package token

import (
	"maps"
	"sync/atomic"
	"time"
)

// KeyRing is the keys directory as it was last read: Reload reads it again
// (on an interval and on SIGHUP), so a key written by `authd keys rotate` is
// published without a restart and a pruned one goes. It is safe for
// concurrent use; tokens being issued or verified during a reload use one
// load or the other, never a mixture. Reloads run one at a time (the
// reload worker), so a load never replaces a newer one.
type KeyRing struct {
	dir, alg string
	current  atomic.Pointer[KeySet]
}

var _ KeySource = (*KeyRing)(nil)

// NewKeyRing loads dir as LoadKeySet does.
func NewKeyRing(dir, alg string, generateIfMissing bool) (*KeyRing, error) {
	ks, err := LoadKeySet(dir, alg, generateIfMissing)
	if err != nil {
		return nil, err
	}
	r := &KeyRing{dir: dir, alg: alg}
	r.current.Store(ks)
	return r, nil
}

// KeySet returns the latest successful load.
func (r *KeyRing) KeySet() *KeySet { return r.current.Load() }

// Reload reads the directory again and reports whether the keys or their
// activation times changed. On any error (an unreadable or half-copied
// file, a directory emptied by mistake) the keys in force stay: a bad
// reload must not stop signing.
func (r *KeyRing) Reload() (changed bool, err error) {
	ks, err := LoadKeySet(r.dir, r.alg, false)
	if err != nil {
		return false, err
	}
	if sameKeys(r.current.Load(), ks) {
		return false, nil
	}
	r.current.Store(ks)
	return true, nil
}

func sameKeys(a, b *KeySet) bool {
	return maps.EqualFunc(a.keys, b.keys, func(x, y signingKey) bool {
		return x.kid == y.kid && x.activates.Equal(y.activates)
	})
}

// Prune removes from dir the key files of alg that can no longer verify a
// live token at now (replaced by a newer key more than retain ago, retain
// being the access-token lifetime plus the leeway) and returns their kids:
// `authd keys prune`. The signing key and keys still to activate are never
// removed.
func Prune(dir, alg string, now time.Time, retain time.Duration) ([]string, error) {
	ks, err := LoadKeySet(dir, alg, false)
	if err != nil {
		return nil, err
	}
	expired := ks.Expired(now, retain)
	for i, kid := range expired {
		if err := removeKeyFile(dir, kid); err != nil {
			return expired[:i], err
		}
	}
	return expired, nil
}
