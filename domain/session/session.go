// Package session holds the Session aggregate: one login on one device, with
// a rotating refresh token, reuse detection, an idle timeout and an absolute
// lifetime. It imports only the standard library and the user package.
package session

import (
	"time"
	"unicode/utf8"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
)

// MaxUserAgentBytes bounds the user agent a session records: a client
// chooses it, so without a bound it could make the server store anything.
const MaxUserAgentBytes = 512

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
	ReasonPasswordReset  RevokeReason = "password_reset"
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

// Start opens a session at login. Its absolute deadline is fixed now. A
// user agent longer than MaxUserAgentBytes is cut there, on a character
// boundary.
func Start(id ID, userID user.ID, now time.Time, policy Policy, userAgent, ip string) (*Session, error) {
	if id.IsZero() || userID.IsZero() {
		return nil, validation.Invalid("session", "id and user id are required")
	}
	if policy.IdleTimeout <= 0 || policy.MaxLifetime <= 0 {
		return nil, validation.Invalid("session", "policy lifetimes must be positive")
	}
	now = now.UTC()
	s := &Session{
		id: id, userID: userID, generation: 1, userAgent: BoundUserAgent(userAgent), ip: ip,
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

// BoundUserAgent cuts a client's user agent to at most MaxUserAgentBytes,
// on a character boundary: the form in which sessions and audit events
// record it.
func BoundUserAgent(s string) string {
	if len(s) <= MaxUserAgentBytes {
		return s
	}
	cut := MaxUserAgentBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// capped keeps a deadline inside the absolute lifetime.
func (s *Session) capped(t time.Time) time.Time {
	if t.After(s.expiresAt) {
		return s.expiresAt
	}
	return t
}
