package argon2id

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrMalformedHash means a stored hash is not an Argon2id PHC string this
// package can verify, or its parameters are out of bounds.
var ErrMalformedHash = errors.New("argon2id: malformed password hash")

const (
	phcPrefix = "$argon2id$v=19$"
	// maxPHCLen bounds the input before any parsing: the longest valid
	// string (64-byte salt, 128-byte hash) is under 300 characters.
	maxPHCLen = 512
)

// b64 is the PHC encoding of salt and hash: standard alphabet, no padding,
// strict so that each value has exactly one text form.
var b64 = base64.RawStdEncoding.Strict()

// phc is a parsed hash.
type phc struct {
	params Params
	salt   []byte
	key    []byte
}

func (h phc) String() string {
	return fmt.Sprintf("%sm=%d,t=%d,p=%d$%s$%s", phcPrefix,
		h.params.MemoryKiB, h.params.Iterations, h.params.Parallelism,
		b64.EncodeToString(h.salt), b64.EncodeToString(h.key))
}

// parsePHC reads $argon2id$v=19$m=M,t=T,p=P$SALT$HASH strictly: this exact
// field order, canonical decimal numbers, parameters within bounds. Errors
// wrap ErrMalformedHash and never quote the input.
func parsePHC(s string) (phc, error) {
	if len(s) > maxPHCLen || !strings.HasPrefix(s, phcPrefix) {
		return phc{}, fmt.Errorf("%w: not an argon2id v=19 PHC string", ErrMalformedHash)
	}
	fields := strings.Split(s[len(phcPrefix):], "$")
	if len(fields) != 3 {
		return phc{}, fmt.Errorf("%w: want parameters, salt and hash", ErrMalformedHash)
	}
	m, t, p, err := parseParams(fields[0])
	if err != nil {
		return phc{}, fmt.Errorf("%w: %v", ErrMalformedHash, err)
	}
	salt, saltErr := b64.DecodeString(fields[1])
	key, keyErr := b64.DecodeString(fields[2])
	if saltErr != nil || keyErr != nil {
		return phc{}, fmt.Errorf("%w: salt or hash is not unpadded base64", ErrMalformedHash)
	}
	params := Params{
		MemoryKiB: m, Iterations: t, Parallelism: p,
		SaltLen: uint32(len(salt)), KeyLen: uint32(len(key)),
	}
	if err := params.within(); err != nil {
		return phc{}, fmt.Errorf("%w: %v", ErrMalformedHash, err)
	}
	return phc{params: params, salt: salt, key: key}, nil
}

// parseParams reads "m=M,t=T,p=P".
func parseParams(s string) (m, t uint32, p uint8, err error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return 0, 0, 0, errors.New("want m=,t=,p=")
	}
	var values [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(parts[i], name)
		if !ok {
			return 0, 0, 0, errors.New("want m=,t=,p= in that order")
		}
		if values[i], err = parseCanonicalUint(digits); err != nil {
			return 0, 0, 0, err
		}
	}
	// Range checks against uint32/uint8 happen here; the semantic bounds
	// are Params.within's.
	if values[0] > MaxMemoryKiB || values[1] > MaxIterations || values[2] > MaxParallelism {
		return 0, 0, 0, errors.New("parameters out of bounds")
	}
	return uint32(values[0]), uint32(values[1]), uint8(values[2]), nil
}

// parseCanonicalUint accepts only plain decimal without sign or leading
// zeros, so that a hash has one text form.
func parseCanonicalUint(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || strconv.FormatUint(n, 10) != s {
		return 0, errors.New("parameter is not a canonical decimal number")
	}
	return n, nil
}
