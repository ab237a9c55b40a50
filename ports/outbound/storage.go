package outbound

import (
	"context"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// UserRepository stores users. Lookups fail with user.ErrNotFound; Add fails
// with user.ErrEmailTaken when the email is in use (case-insensitively, as
// emails are stored normalised).
type UserRepository interface {
	Add(ctx context.Context, u *user.User) error
	Get(ctx context.Context, id user.ID) (*user.User, error)
	FindByEmail(ctx context.Context, email user.Email) (*user.User, error)
	// Update loads the user with a row lock, hands it to fn and saves it if
	// fn returns nil. The returned user is the saved state.
	Update(ctx context.Context, id user.ID, fn func(*user.User) error) (*user.User, error)
	// Delete removes the user and, with it, its sessions.
	Delete(ctx context.Context, id user.ID) error
	// List returns at most q.Limit users in creation (id) order after
	// q.After, whose email starts with q.EmailPrefix.
	List(ctx context.Context, q UserQuery) ([]*user.User, error)
}

// UserQuery pages through users for administrators.
type UserQuery struct {
	EmailPrefix string
	After       user.ID
	Limit       int
}

// SessionRepository stores sessions. Lookups fail with session.ErrNotFound.
type SessionRepository interface {
	Add(ctx context.Context, s *session.Session) error
	Get(ctx context.Context, id session.ID) (*session.Session, error)
	// Update loads the session with a row lock (FOR UPDATE; SQLite
	// serialises writers instead), hands it to fn and saves it when fn
	// returns nil, all in one transaction. When fn returns an error nothing
	// is saved and that error is returned.
	Update(ctx context.Context, id session.ID, fn func(*session.Session) error) (*session.Session, error)
	// ListActive returns the user's sessions that are active at now,
	// newest first.
	ListActive(ctx context.Context, userID user.ID, now time.Time) ([]*session.Session, error)
	// RevokeAll revokes every active session of the user except the one
	// named by except (empty: none excepted) and returns how many it revoked.
	RevokeAll(ctx context.Context, userID user.ID, except session.ID, now time.Time, reason session.RevokeReason) (int, error)
	// RevokeBeyondCap keeps at most keep active sessions of the user, the
	// most recently used ones, and revokes the rest with session.ReasonEvicted.
	// It serialises concurrent callers for the same user.
	RevokeBeyondCap(ctx context.Context, userID user.ID, keep int, now time.Time) (int, error)
}

// Principal is what one authenticated request is made by: the live session
// named in the access token and the current record of its user.
type Principal struct {
	Session *session.Session
	User    *user.User
}

// PrincipalLookup loads a session together with its user in one indexed
// lookup: the hot path of every authenticated request. It fails with
// session.ErrNotFound when the session is gone (including when its user was
// deleted).
type PrincipalLookup interface {
	LoadPrincipal(ctx context.Context, id session.ID) (Principal, error)
}

// Repositories are the stores bound to one transaction.
type Repositories struct {
	Users    UserRepository
	Sessions SessionRepository
	Audit    AuditLog
}

// Transactor runs fn in one transaction, handing it repositories bound to
// that transaction. fn's error rolls everything back; a nil error commits.
type Transactor interface {
	Within(ctx context.Context, fn func(ctx context.Context, repos Repositories) error) error
}
