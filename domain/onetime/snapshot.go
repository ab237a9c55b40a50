package onetime

import (
	"time"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
)

// Snapshot is the flat form of a Secret for storage adapters.
type Snapshot struct {
	ID          ID
	UserID      user.ID
	Purpose     Purpose
	Email       string
	TokenDigest Digest
	CodeDigest  Digest
	CreatedAt   time.Time
	ExpiresAt   time.Time
	Failures    int
	EndedAt     *time.Time
	EndReason   EndReason
}

// Snapshot returns the flat form of s.
func (s *Secret) Snapshot() Snapshot {
	var ended *time.Time
	if s.endedAt != nil {
		t := *s.endedAt
		ended = &t
	}
	return Snapshot{
		ID: s.id, UserID: s.userID, Purpose: s.purpose, Email: s.email.String(),
		TokenDigest: s.tokenDigest, CodeDigest: s.codeDigest,
		CreatedAt: s.createdAt, ExpiresAt: s.expiresAt, Failures: s.failures,
		EndedAt: ended, EndReason: s.endReason,
	}
}

// Rehydrate rebuilds a Secret loaded from storage, refusing one that no
// Issue could have made.
func Rehydrate(sn Snapshot) (*Secret, error) {
	email, err := user.ParseEmail(sn.Email)
	if err != nil {
		return nil, err
	}
	if _, err := ParsePurpose(string(sn.Purpose)); err != nil {
		return nil, err
	}
	if sn.ID.IsZero() || sn.UserID.IsZero() || sn.TokenDigest.IsZero() || sn.CodeDigest.IsZero() ||
		sn.Failures < 0 || !sn.ExpiresAt.After(sn.CreatedAt) || (sn.EndedAt == nil) != (sn.EndReason == "") {
		return nil, validation.Invalid("secret", "stored secret is inconsistent")
	}
	var ended *time.Time
	if sn.EndedAt != nil {
		t := sn.EndedAt.UTC()
		ended = &t
	}
	return &Secret{
		id: sn.ID, userID: sn.UserID, purpose: sn.Purpose, email: email,
		tokenDigest: sn.TokenDigest, codeDigest: sn.CodeDigest,
		createdAt: sn.CreatedAt.UTC(), expiresAt: sn.ExpiresAt.UTC(), failures: sn.Failures,
		endedAt: ended, endReason: sn.EndReason,
	}, nil
}
