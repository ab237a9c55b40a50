package outbound

import (
	"context"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// UserRepository stores users. Lookups fail with user.ErrNotFound; Add and
// Update fail with user.ErrEmailTaken when the email is in use (emails are
// stored normalised, so the check is case-insensitive).
type UserRepository interface {
	Add(ctx context.Context, u *user.User) error
	Get(ctx context.Context, id user.ID) (*user.User, error)
	FindByEmail(ctx context.Context, email user.Email) (*user.User, error)
	// Update loads the user exclusively (a row lock, or the store's
	// equivalent), hands it to fn and saves it if fn returns nil; concurrent
	// Updates of one user queue up. The returned user is the saved state.
	// Called with an fn that changes nothing, it is how a use case
	// serialises work on one user.
	Update(ctx context.Context, id user.ID, fn func(*user.User) error) (*user.User, error)
	// Delete removes the user, and nothing else: the use case ends the
	// user's sessions itself, since they may live in another store.
	Delete(ctx context.Context, id user.ID) error
	// List returns at most q.Limit users in creation (id) order after
	// q.After, whose email starts with q.EmailPrefix.
	List(ctx context.Context, q UserQuery) ([]*user.User, error)
}

// UserQuery pages through users for administrators. EmailPrefix is already
// normalised (user.NormalizeEmailPrefix); a zero After starts at the first.
type UserQuery struct {
	EmailPrefix string
	After       user.ID
	Limit       int
}

// SessionRepository stores sessions. It knows nothing of users beyond their
// ids, so it can live in a store of its own. Lookups fail with
// session.ErrNotFound.
type SessionRepository interface {
	Add(ctx context.Context, s *session.Session) error
	Get(ctx context.Context, id session.ID) (*session.Session, error)
	// Update loads the session exclusively (SELECT ... FOR UPDATE, or the
	// store's equivalent), hands it to fn and saves it when fn returns nil.
	// Concurrent Updates of one session queue up, each seeing what the one
	// before saved. When fn returns an error nothing is saved and that
	// error is returned. A store that locks optimistically runs fn again
	// after a conflict, so fn must only act on the session it is given
	// (and on what the unit of work hands it).
	Update(ctx context.Context, id session.ID, fn func(*session.Session) error) (*session.Session, error)
	// ListActive returns the user's sessions that are active at now,
	// newest first.
	ListActive(ctx context.Context, userID user.ID, now time.Time) ([]*session.Session, error)
	// RevokeAll revokes every active session of the user except the one
	// named by except (zero: none excepted) and returns how many it revoked.
	RevokeAll(ctx context.Context, userID user.ID, except session.ID, now time.Time, reason session.RevokeReason) (int, error)
	// DeleteAllOf removes every session of the user, live or not: what is
	// left of a deleted account.
	DeleteAllOf(ctx context.Context, userID user.ID) error
}

// Principal is what one authenticated request is made by: the live session
// named in the access token and the current record of its user.
type Principal struct {
	Session *session.Session
	User    *user.User
}

// PrincipalLookup loads a session together with its user: the hot path of
// every authenticated request. It fails with session.ErrNotFound when the
// session is gone, or its user is. The default implementation asks the
// session and user repositories in turn; a store holding both may answer
// with one query (a join).
type PrincipalLookup interface {
	LoadPrincipal(ctx context.Context, id session.ID) (Principal, error)
}

// SessionLocker is the refresh path's lock: it loads a session
// exclusively together with its user, hands both to fn, and saves the
// session when fn returns nil, as SessionRepository.Update does. It fails
// with session.ErrNotFound when the session, or its user, is gone. A store
// that holds sessions and users answers with one query (a join under the
// row lock) where SessionRepository.Update and UserRepository.Get take two.
type SessionLocker interface {
	UpdateWithUser(ctx context.Context, id session.ID, fn func(*session.Session, *user.User) error) (*session.Session, error)
}

// Repositories are the stores bound to one unit of work.
type Repositories struct {
	Users    UserRepository
	Sessions SessionRepository
	Audit    AuditLog
	// Identities and LoginCodes live in the users' store.
	Identities IdentityRepository
	LoginCodes LoginCodeRepository
	// Locker is set by a store holding both sessions and users; nil
	// means: Sessions.Update, then Users.Get.
	Locker SessionLocker
	// Secrets and Outbox live in the main store, with users and the audit
	// log: a one-time secret and the mail carrying it commit together.
	Secrets SecretRepository
	Outbox  Outbox
}

// Transactor runs fn as one unit of work, handing it repositories bound to
// it: fn's error undoes everything; a nil error commits. Repositories used
// outside fn each act on their own. What exactly is atomic depends on where
// the stores live: when users, sessions and the audit log share one
// database, everything fn does commits or rolls back together; the
// consistency of other combinations is written in docs/architecture.md.
type Transactor interface {
	Within(ctx context.Context, fn func(ctx context.Context, repos Repositories) error) error
}
