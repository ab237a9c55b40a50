package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"time"
)

// A generated kid is "<UTC creation time>-<8 random hex digits>", for
// example "20260314T092653Z-5f0c2a9e". The time has a fixed width, so sorting
// kids as strings sorts keys by age and the greatest kid is the active key.
// The random part keeps two servers that generate a key in the same second
// from colliding.
const kidTimeLayout = "20060102T150405Z"

var kidPattern = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$`)

// newKID returns a kid created at now that sorts after every kid in
// existing. When the clock has not moved past the newest existing key (two
// rotations within one second, or a clock set back) the time is bumped to
// one second after it, because a rotation must always make the new key the
// active one.
func newKID(now time.Time, existing []string) (string, error) {
	created := now.UTC().Truncate(time.Second)
	for _, kid := range existing {
		t, err := kidTime(kid)
		if err != nil {
			continue
		}
		if !created.After(t) {
			created = t.Add(time.Second)
		}
	}
	var suffix [4]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return "", fmt.Errorf("token: generating a key id: %w", err)
	}
	return created.Format(kidTimeLayout) + "-" + hex.EncodeToString(suffix[:]), nil
}

// kidTime returns the creation time encoded in a generated kid.
func kidTime(kid string) (time.Time, error) {
	if !kidPattern.MatchString(kid) {
		return time.Time{}, fmt.Errorf("%q is not a key id of the form YYYYMMDDThhmmssZ-xxxxxxxx", kid)
	}
	return time.Parse(kidTimeLayout, kid[:len(kidTimeLayout)])
}

// hmacKID names an HMAC secret without revealing it: a domain-separated
// SHA-256 of the secret, cut to 8 bytes. The signature of any HS256 token
// already allows offline guessing of the secret, so this adds no exposure,
// and a changed secret gets a new kid.
func hmacKID(secret []byte) string {
	h := sha256.New()
	h.Write([]byte("authd-hs256-kid\x00"))
	h.Write(secret)
	return "hs256-" + hex.EncodeToString(h.Sum(nil)[:8])
}
