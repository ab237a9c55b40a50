package argon2id

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// Hasher is an outbound.PasswordHasher with bounded concurrency. It is safe
// for concurrent use.
type Hasher struct {
	params  Params
	slots   chan struct{} // a semaphore: one element per hash in progress
	maxWait time.Duration

	// OnWait, if set, is called with how long each Hash or Verify waited
	// for a slot (the "password-hash queue wait" metric). Set it before the
	// Hasher is shared; it must be safe for concurrent calls.
	OnWait func(time.Duration)

	// derive is argon2.IDKey; tests swap it to observe and hold slots.
	derive func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte
	// waiting is a test hook, nil outside tests: called when a caller finds
	// every slot taken, just before it starts to wait. With derive held,
	// it tells a test that a caller is queued, without sleeping to guess.
	waiting func()
}

var _ outbound.PasswordHasher = (*Hasher)(nil)

// New returns a hasher that makes new hashes with params and runs at most
// maxConcurrent hashes at once (0 or less: one per CPU). A caller waits at
// most maxWait for a slot before getting outbound.ErrOverloaded; maxWait 0
// means it waits until its context ends.
func New(params Params, maxConcurrent int, maxWait time.Duration) (*Hasher, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	if maxWait < 0 {
		return nil, errors.New("argon2id: the maximum wait must not be negative")
	}
	if maxConcurrent <= 0 {
		maxConcurrent = runtime.NumCPU()
	}
	return &Hasher{
		params:  params,
		slots:   make(chan struct{}, maxConcurrent),
		maxWait: maxWait,
		derive:  argon2.IDKey,
	}, nil
}

// Params returns the parameters new hashes are made with.
func (h *Hasher) Params() Params { return h.params }

// InFlight returns how many hashes are running now.
func (h *Hasher) InFlight() int { return len(h.slots) }

// Hash makes a PHC string for p with a fresh random salt.
func (h *Hasher) Hash(ctx context.Context, p user.Password) (user.PasswordHash, error) {
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return user.PasswordHash{}, fmt.Errorf("argon2id: generating a salt: %w", err)
	}
	release, err := h.acquire(ctx)
	if err != nil {
		return user.PasswordHash{}, err
	}
	defer release()
	key := h.run(p, salt, h.params)
	return user.NewPasswordHash(phc{params: h.params, salt: salt, key: key}.String())
}

// Verify reports whether p matches the stored hash, comparing in constant
// time, and whether the hash was made with other parameters than the
// current ones (then it should be replaced after a successful login). A
// hash that does not parse fails with an error wrapping ErrMalformedHash
// before any slot is taken.
func (h *Hasher) Verify(ctx context.Context, p user.Password, stored user.PasswordHash) (match, needsRehash bool, err error) {
	parsed, err := parsePHC(stored.PHC())
	if err != nil {
		return false, false, err
	}
	release, err := h.acquire(ctx)
	if err != nil {
		return false, false, err
	}
	defer release()
	key := h.run(p, parsed.salt, parsed.params)
	match = subtle.ConstantTimeCompare(key, parsed.key) == 1
	return match, parsed.params != h.params, nil
}

// run derives the key, wiping the password's byte copy afterwards.
func (h *Hasher) run(p user.Password, salt []byte, params Params) []byte {
	password := []byte(p.Reveal())
	defer clear(password)
	return h.derive(password, salt, params.Iterations, params.MemoryKiB, params.Parallelism, params.KeyLen)
}

// acquire takes a slot, waiting at most maxWait (or until ctx ends), and
// returns the function that gives it back.
func (h *Hasher) acquire(ctx context.Context) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("argon2id: %w", err)
	}
	began := time.Now()
	select {
	case h.slots <- struct{}{}: // a free slot: no timer needed
	default:
		if h.waiting != nil {
			h.waiting()
		}
		var timeout <-chan time.Time
		if h.maxWait > 0 {
			timer := time.NewTimer(h.maxWait)
			defer timer.Stop()
			timeout = timer.C
		}
		select {
		case h.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, fmt.Errorf("argon2id: waiting for a hashing slot: %w", ctx.Err())
		case <-timeout:
			return nil, outbound.ErrOverloaded
		}
	}
	if h.OnWait != nil {
		h.OnWait(time.Since(began))
	}
	return func() { <-h.slots }, nil
}
