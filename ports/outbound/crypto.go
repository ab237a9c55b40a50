package outbound

import (
	"context"
	"errors"
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/user"
)

// ErrOverloaded means the password hasher's queue is full or the wait would
// be too long; clients should retry later. Use cases pass it on unchanged.
var ErrOverloaded = errors.New("password hasher overloaded")

// PasswordHasher hashes and verifies passwords with bounded concurrency.
type PasswordHasher interface {
	Hash(ctx context.Context, p user.Password) (user.PasswordHash, error)
	// Verify reports whether p matches h (compared in constant time) and
	// whether h was made with parameters other than the current ones and so
	// should be replaced after a successful login.
	Verify(ctx context.Context, p user.Password, h user.PasswordHash) (match, needsRehash bool, err error)
}

// Clock tells the time; tests set it.
type Clock interface {
	Now() time.Time
}

// IDGenerator makes new unique ids (UUIDv7, so they sort by creation time).
// The use case turns one into the id type of the entity it creates.
type IDGenerator interface {
	NewID() ident.UUID
}
