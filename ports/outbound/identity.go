package outbound

import (
	"context"
	"time"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
)

// IdentityRepository stores the identities linked to users. Lookups fail
// with identity.ErrNotFound; Add fails with identity.ErrIdentityTaken when
// (provider, subject) is linked already. Deleting a user removes its
// identities with it (they live in the users' store).
type IdentityRepository interface {
	Add(ctx context.Context, i *identity.Identity) error
	Get(ctx context.Context, id identity.ID) (*identity.Identity, error)
	FindBySubject(ctx context.Context, provider, subject string) (*identity.Identity, error)
	// ListByUser returns the user's identities, oldest first.
	ListByUser(ctx context.Context, userID user.ID) ([]*identity.Identity, error)
	Delete(ctx context.Context, id identity.ID) error
}

// FlowStateRepository keeps started sign-in flows until their callback.
// Deleting a user removes the link flows naming it.
type FlowStateRepository interface {
	Add(ctx context.Context, f *identity.FlowState) error
	// Take removes the flow whose state has the hash and returns it, so
	// that a state is used at most once even by concurrent callbacks; it
	// fails with identity.ErrNotFound when there is none (it is the
	// caller's business whether the returned flow has expired).
	Take(ctx context.Context, stateHash identity.SecretHash) (*identity.FlowState, error)
	// DeleteExpired removes at most limit flows that expired before now
	// and says how many.
	DeleteExpired(ctx context.Context, now time.Time, limit int) (int, error)
}

// LoginCodeRepository keeps the one-time login codes of finished sign-ins.
// Deleting a user removes its codes.
type LoginCodeRepository interface {
	Add(ctx context.Context, c identity.LoginCode) error
	// Take removes the code with the hash and returns it: single use, even
	// under concurrent exchanges. identity.ErrNotFound when there is none.
	Take(ctx context.Context, hash identity.SecretHash) (identity.LoginCode, error)
	// DeleteExpired removes at most limit codes that expired before now
	// and says how many.
	DeleteExpired(ctx context.Context, now time.Time, limit int) (int, error)
}

// Secrets makes the random secrets of a sign-in flow: states, nonces,
// PKCE verifiers, flow cookies and login codes. Each has at least 256 bits
// of entropy and is URL-safe (43 characters of base64url, which is also a
// valid PKCE code verifier).
type Secrets interface {
	NewSecret() string
}
