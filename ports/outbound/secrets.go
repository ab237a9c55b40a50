package outbound

import (
	"context"
	"time"

	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
)

// SecretRepository stores one-time secrets, as digests only. Lookups fail
// with onetime.ErrNotFound. Bound to a unit of work (Repositories.Secrets),
// its writes commit with the mail that carries the secret.
type SecretRepository interface {
	// Add stores a new secret.
	Add(ctx context.Context, s *onetime.Secret) error
	// FindByToken returns the secret whose token digest is d, in whatever
	// state it is.
	FindByToken(ctx context.Context, d onetime.Digest) (*onetime.Secret, error)
	// LatestPending returns the user's newest secret of the purpose that
	// has not ended (it may have expired): the one a code is checked
	// against. Issuing supersedes the older ones, so there is at most one.
	LatestPending(ctx context.Context, userID user.ID, purpose onetime.Purpose) (*onetime.Secret, error)
	// Update loads the secret exclusively (SELECT ... FOR UPDATE, or the
	// store's equivalent), hands it to fn and saves it when fn returns nil;
	// concurrent uses of one secret queue up.
	Update(ctx context.Context, id onetime.ID, fn func(*onetime.Secret) error) (*onetime.Secret, error)
	// SupersedePending ends every pending secret of the user and purpose as
	// onetime.Secret.Supersede does, and says how many: a newer secret
	// kills the older ones.
	SupersedePending(ctx context.Context, userID user.ID, purpose onetime.Purpose, now time.Time) (int, error)
}
