// Package identity holds what signing in with an OpenID Connect provider
// adds to the domain: the Identity (an account at a provider, linked to one
// user), the verified Claims a provider states about it, the rules that
// decide whether a sign-in logs a user in, links an account or creates one
// (Decide, DecideLink, CheckUnlink), and the short-lived records of a
// sign-in in progress (FlowState, LoginCode) with the redirect allow-list
// that guards where a flow may return. It builds on package user.
package identity

import (
	"errors"
	"regexp"
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
)

// Errors of the identity rules. Each becomes one error code of the sign-in
// flow (the fragment of the front end's redirect) or one problem code.
var (
	// ErrNotFound means no identity has the given id or subject, or it
	// belongs to another user than the one asking.
	ErrNotFound = errors.New("identity: not found")
	// ErrIdentityTaken means the provider account is already linked to
	// another user.
	ErrIdentityTaken = errors.New("identity: linked to another account")
	// ErrAccountExists means an account has the provider's email, but the
	// rules do not allow linking it (unverified email, or linking by email
	// off for the provider).
	ErrAccountExists = errors.New("identity: an account with this email exists")
	// ErrSignupClosed means the provider account is unknown and the
	// provider does not allow new accounts.
	ErrSignupClosed = errors.New("identity: sign-up through this provider is off")
	// ErrEmailMissing means a new account would be needed but the provider
	// gave no usable email address.
	ErrEmailMissing = errors.New("identity: the provider gave no usable email")
	// ErrLastSignInMethod means unlinking would leave the account without a
	// password and without any identity: no way to sign in.
	ErrLastSignInMethod = errors.New("identity: the last sign-in method cannot be removed")
)

// ID identifies a linked identity.
type ID ident.UUID

// ParseID reads an identity id in canonical UUID form.
func ParseID(s string) (ID, error) {
	u, err := ident.Parse(s)
	return ID(u), err
}

// String returns the canonical text form.
func (id ID) String() string { return ident.UUID(id).String() }

// IsZero reports whether id names no identity.
func (id ID) IsZero() bool { return ident.UUID(id).IsZero() }

// MaxSubjectBytes bounds the provider's subject identifier (OpenID Connect
// Core §2: at most 255 ASCII characters).
const MaxSubjectBytes = 255

// providerName is the shape of a configured provider's name: it appears in
// URLs, configuration keys and environment variable names.
var providerName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// ValidProviderName reports whether name can name a provider: a lower-case
// letter, then up to 31 lower-case letters, digits or underscores.
func ValidProviderName(name string) bool { return providerName.MatchString(name) }

// Identity is an account at an identity provider (provider, subject),
// linked to one user. Email is what the provider said when it was linked,
// kept for the user to recognise the identity; it is never used to sign in.
type Identity struct {
	id        ID
	userID    user.ID
	provider  string
	subject   string
	email     string
	createdAt time.Time
}

// Link makes a new identity for the verified claims, belonging to userID.
func Link(id ID, userID user.ID, c Claims, now time.Time) (*Identity, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	if id.IsZero() || userID.IsZero() {
		return nil, validation.Invalid("identity", "needs an id and a user")
	}
	email := ""
	if e, ok := c.ParsedEmail(); ok {
		email = e.String()
	}
	return &Identity{id: id, userID: userID, provider: c.Provider, subject: c.Subject, email: email, createdAt: now.UTC()}, nil
}

// Snapshot is the flat form of an Identity for storage adapters.
type Snapshot struct {
	ID        ID
	UserID    user.ID
	Provider  string
	Subject   string
	Email     string
	CreatedAt time.Time
}

// Rehydrate rebuilds an identity loaded from storage.
func Rehydrate(s Snapshot) (*Identity, error) {
	if s.ID.IsZero() || s.UserID.IsZero() || !ValidProviderName(s.Provider) || s.Subject == "" {
		return nil, validation.Invalid("identity", "stored identity is incomplete")
	}
	return &Identity{id: s.ID, userID: s.UserID, provider: s.Provider, subject: s.Subject, email: s.Email, createdAt: s.CreatedAt.UTC()}, nil
}

// Snapshot returns the flat form of i.
func (i *Identity) Snapshot() Snapshot {
	return Snapshot{ID: i.id, UserID: i.userID, Provider: i.provider, Subject: i.subject, Email: i.email, CreatedAt: i.createdAt}
}

func (i *Identity) ID() ID               { return i.id }
func (i *Identity) UserID() user.ID      { return i.userID }
func (i *Identity) Provider() string     { return i.provider }
func (i *Identity) Subject() string      { return i.subject }
func (i *Identity) Email() string        { return i.email }
func (i *Identity) CreatedAt() time.Time { return i.createdAt }
