// Package audit holds the vocabulary of the audit trail: what happened to
// which account or session, when, and from where. Events never carry a
// password, a token or a key.
package audit

import (
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
)

// Type names what happened. The set is closed: ParseType accepts only these.
type Type string

// The event types of the contract's AuditEvent.
const (
	Signup               Type = "signup"
	LoginSucceeded       Type = "login_succeeded"
	LoginFailed          Type = "login_failed"
	LoginLocked          Type = "login_locked"
	Refreshed            Type = "refreshed"
	RefreshGraceHit      Type = "refresh_grace_hit"
	RefreshReuseDetected Type = "refresh_reuse_detected"
	Logout               Type = "logout"
	SessionRevoked       Type = "session_revoked"
	PasswordChanged      Type = "password_changed"
	RoleChanged          Type = "role_changed"
	UserDisabled         Type = "user_disabled"
	UserDeleted          Type = "user_deleted"
	KeyRotated           Type = "key_rotated"
	// Signing in with an OpenID Connect provider (v1.1); detail "provider".
	OIDCLogin        Type = "oidc_login"
	IdentityLinked   Type = "identity_linked"
	IdentityUnlinked Type = "identity_unlinked"
	// The account lifecycle by email (contract v1.1).
	EmailVerificationSent  Type = "email_verification_sent"
	EmailVerified          Type = "email_verified"
	PasswordResetRequested Type = "password_reset_requested"
	PasswordReset          Type = "password_reset"
	EmailChangeRequested   Type = "email_change_requested"
	EmailChanged           Type = "email_changed"
	ProfileUpdated         Type = "profile_updated"
)

// Types lists every event type, in the contract's order.
var Types = []Type{
	Signup, LoginSucceeded, LoginFailed, LoginLocked, Refreshed, RefreshGraceHit,
	RefreshReuseDetected, Logout, SessionRevoked, PasswordChanged, RoleChanged,
	UserDisabled, UserDeleted, KeyRotated,
	OIDCLogin, IdentityLinked, IdentityUnlinked,
	EmailVerificationSent, EmailVerified, PasswordResetRequested, PasswordReset,
	EmailChangeRequested, EmailChanged, ProfileUpdated,
}

// ParseType accepts exactly one of Types.
func ParseType(s string) (Type, error) {
	for _, t := range Types {
		if string(t) == s {
			return t, nil
		}
	}
	return "", validation.Invalid("type", "is not a known audit event type")
}

// ID identifies an event. Ids are UUIDv7, so their order is the order in
// which the events happened: the trail is paged by id.
type ID ident.UUID

// ParseID reads an event id in canonical UUID form.
func ParseID(s string) (ID, error) {
	u, err := ident.Parse(s)
	return ID(u), err
}

// String returns the canonical text form.
func (id ID) String() string { return ident.UUID(id).String() }

// IsZero reports whether id names no event.
func (id ID) IsZero() bool { return ident.UUID(id).IsZero() }

// Compare orders ids, and so events, by time.
func (id ID) Compare(other ID) int { return ident.UUID(id).Compare(ident.UUID(other)) }

// Event is one entry of the audit trail. UserID and SessionID are zero
// when the event concerns no known account (a failed login for an unknown
// email) or no session. Detail holds small, non-secret facts such as the
// revocation reason or the old and new role.
type Event struct {
	ID        ID
	Type      Type
	UserID    user.ID
	SessionID session.ID
	IP        string
	UserAgent string
	At        time.Time
	Detail    map[string]string
}
