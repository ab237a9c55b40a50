// Package ident holds the UUID that every entity id is made of. Each entity
// has its own id type over it (user.ID, session.ID, audit.ID), so that a
// session id can never be passed where a user id is expected; the text is
// parsed once, at the edge that receives it, and trusted from then on.
package ident

import (
	"bytes"
	"encoding/hex"
	"errors"
)

// UUID is a 128-bit identifier. authd issues UUIDv7 (RFC 9562), whose
// leading timestamp makes byte order creation order.
type UUID [16]byte

// ErrMalformed means a text is not a UUID in canonical form.
var ErrMalformed = errors.New("ident: not a canonical UUID")

// Parse reads the canonical 36-character form
// (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) in either letter case. Other forms
// that some parsers take (braces, urn:uuid:, 32 bare digits) are refused, so
// that one id has one spelling.
func Parse(s string) (UUID, error) {
	var u UUID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, ErrMalformed
	}
	digits := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	if _, err := hex.Decode(u[:], []byte(digits)); err != nil {
		return UUID{}, ErrMalformed
	}
	return u, nil
}

// String returns the canonical lower-case form.
func (u UUID) String() string {
	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:], u[10:])
	return string(buf[:])
}

// IsZero reports whether u is the zero value, which names nothing.
func (u UUID) IsZero() bool { return u == UUID{} }

// Compare orders UUIDs bytewise: for UUIDv7, by creation time.
func (u UUID) Compare(v UUID) int { return bytes.Compare(u[:], v[:]) }
