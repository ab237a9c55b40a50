// Package session holds the Session aggregate: one login on one device, with
// a rotating refresh token, reuse detection, an idle timeout and an absolute
// lifetime. It imports only the standard library and the user package.
package session

import (
	"time"

	"github.com/authd/authd/domain/user"
)

// ID identifies a session (a UUID in its canonical text form).
type ID string

// String returns the id's text form.
func (id ID) String() string { return string(id) }

// Generation counts rotations. The refresh token of generation g is only
// ever derived, never stored: the session keeps the number, not the secret.
type Generation uint64

// RevokeReason says why a session ended early.
type RevokeReason string

// The reasons a session can be revoked.
const (
	ReasonLogout         RevokeReason = "logout"
	ReasonLogoutAll      RevokeReason = "logout_all"
	ReasonRevokedByUser  RevokeReason = "revoked_by_user"
	ReasonPasswordChange RevokeReason = "password_changed"
	ReasonReuseDetected  RevokeReason = "refresh_token_reused"
	ReasonEvicted        RevokeReason = "session_cap"
	ReasonAdmin          RevokeReason = "admin"
	ReasonUserDisabled   RevokeReason = "user_disabled"
)

// Session is one login of one user on one device.
type Session struct {
	id            ID
	userID        user.ID
	generation    Generation
	userAgent     string
	ip            string
	createdAt     time.Time
	lastUsedAt    time.Time
	rotatedAt     time.Time
	idleExpiresAt time.Time
	expiresAt     time.Time
	revokedAt     *time.Time
	revokeReason  RevokeReason
}

// Start opens a session at login. Its absolute deadline is fixed now.
func Start(id ID, userID user.ID, now time.Time, policy Policy, userAgent, ip string) (*Session, error) {
	if id == "" || userID == "" {
		return nil, user.Invalid("session", "id and user id are required")
	}
	if policy.IdleTimeout <= 0 || policy.MaxLifetime <= 0 {
		return nil, user.Invalid("session", "policy lifetimes must be positive")
	}
	now = now.UTC()
	s := &Session{
		id: id, userID: userID, generation: 1, userAgent: userAgent, ip: ip,
		createdAt: now, lastUsedAt: now, rotatedAt: now,
		expiresAt: now.Add(policy.MaxLifetime),
	}
	s.idleExpiresAt = s.capped(now.Add(policy.IdleTimeout))
	return s, nil
}

func (s *Session) ID() ID                       { return s.id }
func (s *Session) UserID() user.ID              { return s.userID }
func (s *Session) Generation() Generation       { return s.generation }
func (s *Session) UserAgent() string            { return s.userAgent }
func (s *Session) IP() string                   { return s.ip }
func (s *Session) CreatedAt() time.Time         { return s.createdAt }
func (s *Session) LastUsedAt() time.Time        { return s.lastUsedAt }
func (s *Session) RotatedAt() time.Time         { return s.rotatedAt }
func (s *Session) IdleExpiresAt() time.Time     { return s.idleExpiresAt }
func (s *Session) AbsoluteExpiresAt() time.Time { return s.expiresAt }
func (s *Session) RevokedAt() *time.Time        { return s.revokedAt }
func (s *Session) RevokeReason() RevokeReason   { return s.revokeReason }

// ExpiresAt is when the session ends if nothing else happens: the earlier of
// the idle deadline and the absolute one.
func (s *Session) ExpiresAt() time.Time {
	if s.expiresAt.Before(s.idleExpiresAt) {
		return s.expiresAt
	}
	return s.idleExpiresAt
}

// IsActive reports whether the session may still be used at now.
func (s *Session) IsActive(now time.Time) bool { return s.CheckActive(now) == nil }

// CheckActive fails with ErrRevoked or ErrExpired when the session is over.
func (s *Session) CheckActive(now time.Time) error {
	if s.revokedAt != nil {
		return ErrRevoked
	}
	if !now.Before(s.idleExpiresAt) || !now.Before(s.expiresAt) {
		return ErrExpired
	}
	return nil
}

// Revoke ends the session. Revoking an already revoked session keeps the
// first time and reason and reports false.
func (s *Session) Revoke(now time.Time, reason RevokeReason) bool {
	if s.revokedAt != nil {
		return false
	}
	t := now.UTC()
	s.revokedAt = &t
	s.revokeReason = reason
	return true
}

// capped keeps a deadline inside the absolute lifetime.
func (s *Session) capped(t time.Time) time.Time {
	if t.After(s.expiresAt) {
		return s.expiresAt
	}
	return t
}
