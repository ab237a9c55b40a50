package session

import "github.com/authd/authd/domain/ident"

// ID identifies a session.
type ID ident.UUID

// ParseID reads a session id in canonical UUID form; anything else fails
// with ident.ErrMalformed and cannot name a session.
func ParseID(s string) (ID, error) {
	u, err := ident.Parse(s)
	return ID(u), err
}

// String returns the canonical text form.
func (id ID) String() string { return ident.UUID(id).String() }

// IsZero reports whether id names no session.
func (id ID) IsZero() bool { return ident.UUID(id).IsZero() }
