package user

import "github.com/authd/authd/domain/ident"

// ID identifies a user.
type ID ident.UUID

// ParseID reads a user id in canonical UUID form; anything else fails with
// ident.ErrMalformed and cannot name an account.
func ParseID(s string) (ID, error) {
	u, err := ident.Parse(s)
	return ID(u), err
}

// String returns the canonical text form.
func (id ID) String() string { return ident.UUID(id).String() }

// IsZero reports whether id names no user.
func (id ID) IsZero() bool { return ident.UUID(id).IsZero() }
