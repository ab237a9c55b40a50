package argon2id

import "fmt"

// Params are the Argon2id cost parameters and output sizes.
type Params struct {
	MemoryKiB   uint32 // m: memory in KiB
	Iterations  uint32 // t: passes over the memory
	Parallelism uint8  // p: lanes
	SaltLen     uint32 // bytes of random salt
	KeyLen      uint32 // bytes of derived hash
}

// DefaultParams are the OWASP minimum for Argon2id (19 MiB, 2 passes, 1 lane)
// with a 16-byte salt and a 32-byte hash.
func DefaultParams() Params {
	return Params{MemoryKiB: 19456, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 32}
}

// Bounds on the parameters of a stored hash. A hash is data read from the
// database; without these caps one hostile or corrupt row could make a
// single Verify allocate gigabytes or spin for minutes. The caps sit well
// above any sensible web login setting (OWASP's strongest is 46 MiB).
const (
	MaxMemoryKiB   = 1 << 20 // 1 GiB
	MaxIterations  = 100
	MaxParallelism = 64
	minSaltLen     = 8 // accepted in stored hashes (the reference test vectors use 8)
	minNewSaltLen  = 16
	maxSaltLen     = 64
	minKeyLen      = 16
	maxKeyLen      = 128
)

// within reports whether p is inside the bounds for a stored hash.
func (p Params) within() error {
	switch {
	case p.Parallelism < 1 || p.Parallelism > MaxParallelism:
		return fmt.Errorf("parallelism must be 1 to %d", MaxParallelism)
	case p.MemoryKiB < 8*uint32(p.Parallelism) || p.MemoryKiB > MaxMemoryKiB:
		// Argon2 needs at least 8 KiB per lane.
		return fmt.Errorf("memory must be %d to %d KiB", 8*uint32(p.Parallelism), MaxMemoryKiB)
	case p.Iterations < 1 || p.Iterations > MaxIterations:
		return fmt.Errorf("iterations must be 1 to %d", MaxIterations)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("salt length must be %d to %d bytes", minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("key length must be %d to %d bytes", minKeyLen, maxKeyLen)
	}
	return nil
}

// Validate checks parameters for making new hashes: the stored-hash bounds
// and a salt of at least 16 bytes (RFC 9106 §3.1 recommends 16).
func (p Params) Validate() error {
	if err := p.within(); err != nil {
		return fmt.Errorf("argon2id: %w", err)
	}
	if p.SaltLen < minNewSaltLen {
		return fmt.Errorf("argon2id: new hashes need a salt of at least %d bytes", minNewSaltLen)
	}
	return nil
}
