package session

import "time"

// Outcome is what presenting a refresh token did to the session.
type Outcome int

// The outcomes of Redeem.
const (
	// Rotated: the current token was spent and the generation advanced.
	Rotated Outcome = iota + 1
	// GraceHit: the immediate predecessor came back within the grace
	// interval; nothing changed and the caller returns the current
	// generation's token, byte for byte what the first caller got.
	GraceHit
	// ReuseDetected: a spent token came back outside the grace interval;
	// the session is now revoked and the change must be committed even
	// though the request fails.
	ReuseDetected
)

// Redeem applies the rotation and reuse rules (RFC 9700 §4.14) to a refresh
// token of generation presented at now. On Rotated and GraceHit the token to
// hand out is the one of s.Generation(). On ReuseDetected the session is
// revoked and Redeem returns ErrRefreshTokenReused with the outcome, so callers
// persist the revocation before failing. A revoked or expired session fails
// with ErrRevoked or ErrExpired and is not changed: grace never revives it.
func (s *Session) Redeem(presented Generation, now time.Time, policy Policy) (Outcome, error) {
	if err := s.CheckActive(now); err != nil {
		return 0, err
	}
	switch {
	case presented == s.generation:
		s.generation++
		now = now.UTC()
		s.rotatedAt = now
		s.lastUsedAt = now
		s.idleExpiresAt = s.capped(now.Add(policy.IdleTimeout))
		return Rotated, nil
	case presented+1 == s.generation && now.Sub(s.rotatedAt) <= policy.ReuseGrace:
		return GraceHit, nil
	default:
		s.Revoke(now, ReasonReuseDetected)
		return ReuseDetected, ErrRefreshTokenReused
	}
}
