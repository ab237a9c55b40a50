// Package user holds the User aggregate and its value objects: Email,
// FullName, Password, PasswordHash and Role. It imports only the standard
// library.
//
// An account may have no password: one created by signing in with an
// identity provider. HasPassword tells; such an account can only sign in
// through its linked identities until it sets a password.
package user

import (
	"time"

	"github.com/authd/authd/domain/validation"
)

// User is an account. Its fields are unexported so that every state change
// goes through a method that keeps it valid.
type User struct {
	id       ID
	email    Email
	fullName FullName
	role     Role
	// passwordHash is the zero PasswordHash for an account without a
	// password (no hash is empty: NewPasswordHash refuses it).
	passwordHash  PasswordHash
	disabled      bool
	emailVerified bool
	createdAt     time.Time
	updatedAt     time.Time
}

// Register creates a new self-service account. Signup cannot choose a role:
// every such account is RoleUser.
func Register(id ID, email Email, name FullName, hash PasswordHash, now time.Time) (*User, error) {
	return Create(id, email, name, RoleUser, hash, now)
}

// Create makes an account with an explicit role (the operator's command line
// and, later, administrators).
func Create(id ID, email Email, name FullName, role Role, hash PasswordHash, now time.Time) (*User, error) {
	if hash.phc == "" {
		return nil, validation.Invalid("password", "is required")
	}
	u, err := newUser(id, email, name, role, now)
	if err != nil {
		return nil, err
	}
	u.passwordHash = hash
	return u, nil
}

// RegisterExternal creates a self-service account for someone signing in
// with an identity provider: role user, no password, and the email
// verified exactly when the provider says so.
func RegisterExternal(id ID, email Email, name FullName, emailVerified bool, now time.Time) (*User, error) {
	u, err := newUser(id, email, name, RoleUser, now)
	if err != nil {
		return nil, err
	}
	u.emailVerified = emailVerified
	return u, nil
}

func newUser(id ID, email Email, name FullName, role Role, now time.Time) (*User, error) {
	if id.IsZero() {
		return nil, validation.Invalid("id", "is required")
	}
	if email.IsZero() {
		return nil, validation.Invalid("email", "is required")
	}
	if name.value == "" {
		return nil, validation.Invalid("fullName", "is required")
	}
	if _, err := ParseRole(string(role)); err != nil {
		return nil, err
	}
	now = now.UTC()
	return &User{id: id, email: email, fullName: name, role: role, createdAt: now, updatedAt: now}, nil
}

// Snapshot is the flat form of a User for storage adapters. It is the only
// way state crosses into and out of persistence.
type Snapshot struct {
	ID       ID
	Email    string
	FullName string
	Role     string
	// PasswordHash is the PHC string, or "" for an account without a
	// password (NULL in a database).
	PasswordHash  string
	Disabled      bool
	EmailVerified bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Rehydrate rebuilds a User loaded from storage, validating it as it goes so
// that corrupt rows surface as errors instead of invalid aggregates.
func Rehydrate(s Snapshot) (*User, error) {
	email, err := parseStoredEmail(s.Email)
	if err != nil {
		return nil, err
	}
	role, err := ParseRole(s.Role)
	if err != nil {
		return nil, err
	}
	var hash PasswordHash
	if s.PasswordHash != "" {
		if hash, err = NewPasswordHash(s.PasswordHash); err != nil {
			return nil, err
		}
	}
	if s.ID.IsZero() || s.FullName == "" {
		return nil, validation.Invalid("user", "stored user is incomplete")
	}
	return &User{
		id: s.ID, email: email, fullName: FullName{value: s.FullName}, role: role,
		passwordHash: hash, disabled: s.Disabled, emailVerified: s.EmailVerified,
		createdAt: s.CreatedAt.UTC(), updatedAt: s.UpdatedAt.UTC(),
	}, nil
}

// Snapshot returns the flat form of u.
func (u *User) Snapshot() Snapshot {
	return Snapshot{
		ID: u.id, Email: u.email.String(), FullName: u.fullName.String(), Role: string(u.role),
		PasswordHash: u.PasswordHash().PHC(), Disabled: u.disabled, EmailVerified: u.emailVerified,
		CreatedAt: u.createdAt, UpdatedAt: u.updatedAt,
	}
}

func (u *User) ID() ID               { return u.id }
func (u *User) Email() Email         { return u.email }
func (u *User) FullName() FullName   { return u.fullName }
func (u *User) Role() Role           { return u.role }
func (u *User) Disabled() bool       { return u.disabled }
func (u *User) EmailVerified() bool  { return u.emailVerified }
func (u *User) CreatedAt() time.Time { return u.createdAt }
func (u *User) UpdatedAt() time.Time { return u.updatedAt }

// HasPassword reports whether the account has a password. An account made
// by signing in with an identity provider has none until it sets one.
func (u *User) HasPassword() bool { return u.passwordHash.phc != "" }

// PasswordHash returns the stored hash, or the zero PasswordHash (which no
// password matches and whose PHC is "") when HasPassword is false: check
// HasPassword before verifying a password against it.
func (u *User) PasswordHash() PasswordHash { return u.passwordHash }

// CanAuthenticate fails with ErrDisabled for a disabled account.
func (u *User) CanAuthenticate() error {
	if u.disabled {
		return ErrDisabled
	}
	return nil
}

// ChangePasswordHash stores a new hash (a password change or a parameter
// upgrade on login).
// An account without a password gets one this way.
func (u *User) ChangePasswordHash(hash PasswordHash, now time.Time) {
	u.passwordHash = hash
	u.touch(now)
}

// ChangeRole sets the role.
func (u *User) ChangeRole(role Role, now time.Time) {
	u.role = role
	u.touch(now)
}

// SetDisabled disables or re-enables the account.
func (u *User) SetDisabled(disabled bool, now time.Time) {
	u.disabled = disabled
	u.touch(now)
}

// Rename sets the full name.
func (u *User) Rename(name FullName, now time.Time) {
	u.fullName = name
	u.touch(now)
}

func (u *User) touch(now time.Time) { u.updatedAt = now.UTC() }

// VerifyEmail marks the account's address as verified, given the address a
// one-time secret was mailed to. A proof of another address (the account's
// address changed since) verifies nothing, and VerifyEmail reports false.
func (u *User) VerifyEmail(provenAddress Email, now time.Time) bool {
	if provenAddress != u.email {
		return false
	}
	if !u.emailVerified {
		u.emailVerified = true
		u.touch(now)
	}
	return true
}

// ChangeEmail moves the account to a new address whose owner has just
// proven control of it, so the new address is verified.
func (u *User) ChangeEmail(email Email, now time.Time) {
	u.email = email
	u.emailVerified = true
	u.touch(now)
}
