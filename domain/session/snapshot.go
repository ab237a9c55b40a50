package session

import (
	"time"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
)

// Snapshot is the flat form of a Session for storage adapters.
type Snapshot struct {
	ID            ID
	UserID        user.ID
	Generation    Generation
	UserAgent     string
	IP            string
	CreatedAt     time.Time
	LastUsedAt    time.Time
	RotatedAt     time.Time
	IdleExpiresAt time.Time
	ExpiresAt     time.Time
	RevokedAt     *time.Time
	RevokeReason  RevokeReason
}

// Snapshot returns the flat form of s.
func (s *Session) Snapshot() Snapshot {
	var revoked *time.Time
	if s.revokedAt != nil {
		t := *s.revokedAt
		revoked = &t
	}
	return Snapshot{
		ID: s.id, UserID: s.userID, Generation: s.generation, UserAgent: s.userAgent, IP: s.ip,
		CreatedAt: s.createdAt, LastUsedAt: s.lastUsedAt, RotatedAt: s.rotatedAt,
		IdleExpiresAt: s.idleExpiresAt, ExpiresAt: s.expiresAt, RevokedAt: revoked, RevokeReason: s.revokeReason,
	}
}

// Rehydrate rebuilds a Session loaded from storage.
func Rehydrate(sn Snapshot) (*Session, error) {
	if sn.ID.IsZero() || sn.UserID.IsZero() || sn.Generation == 0 {
		return nil, validation.Invalid("session", "stored session is incomplete")
	}
	utc := func(t time.Time) time.Time { return t.UTC() }
	var revoked *time.Time
	if sn.RevokedAt != nil {
		t := sn.RevokedAt.UTC()
		revoked = &t
	}
	return &Session{
		id: sn.ID, userID: sn.UserID, generation: sn.Generation, userAgent: sn.UserAgent, ip: sn.IP,
		createdAt: utc(sn.CreatedAt), lastUsedAt: utc(sn.LastUsedAt), rotatedAt: utc(sn.RotatedAt),
		idleExpiresAt: utc(sn.IdleExpiresAt), expiresAt: utc(sn.ExpiresAt), revokedAt: revoked, revokeReason: sn.RevokeReason,
	}, nil
}
