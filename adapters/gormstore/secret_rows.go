package gormstore

import (
	"fmt"
	"time"

	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
)

// secretRow is the one_time_secrets table as GORM sees it.
type secretRow struct {
	ID          string     `gorm:"column:id;primaryKey"`
	UserID      string     `gorm:"column:user_id"`
	Purpose     string     `gorm:"column:purpose"`
	Email       string     `gorm:"column:email"`
	TokenDigest []byte     `gorm:"column:token_digest"`
	CodeDigest  []byte     `gorm:"column:code_digest"`
	CreatedAt   time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	ExpiresAt   time.Time  `gorm:"column:expires_at"`
	Failures    int        `gorm:"column:failures"`
	EndedAt     *time.Time `gorm:"column:ended_at"`
	EndReason   string     `gorm:"column:end_reason"`
}

// TableName tells GORM the table name.
func (secretRow) TableName() string { return "one_time_secrets" }

func secretToRow(s *onetime.Secret) secretRow {
	sn := s.Snapshot()
	var ended *time.Time
	if sn.EndedAt != nil {
		t := dbTime(*sn.EndedAt)
		ended = &t
	}
	return secretRow{
		ID: sn.ID.String(), UserID: sn.UserID.String(), Purpose: string(sn.Purpose), Email: sn.Email,
		TokenDigest: sn.TokenDigest[:], CodeDigest: sn.CodeDigest[:],
		CreatedAt: dbTime(sn.CreatedAt), ExpiresAt: dbTime(sn.ExpiresAt), Failures: sn.Failures,
		EndedAt: ended, EndReason: string(sn.EndReason),
	}
}

func (r secretRow) toDomain() (*onetime.Secret, error) {
	id, err := onetime.ParseID(r.ID)
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored secret has a malformed id: %w", err)
	}
	userID, err := user.ParseID(r.UserID)
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored secret %s has a malformed user id: %w", r.ID, err)
	}
	var token, code onetime.Digest
	if len(r.TokenDigest) != len(token) || len(r.CodeDigest) != len(code) {
		return nil, fmt.Errorf("gormstore: stored secret %s has digests of the wrong size", r.ID)
	}
	copy(token[:], r.TokenDigest)
	copy(code[:], r.CodeDigest)
	s, err := onetime.Rehydrate(onetime.Snapshot{
		ID: id, UserID: userID, Purpose: onetime.Purpose(r.Purpose), Email: r.Email,
		TokenDigest: token, CodeDigest: code, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt,
		Failures: r.Failures, EndedAt: r.EndedAt, EndReason: onetime.EndReason(r.EndReason),
	})
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored secret %s is invalid: %w", r.ID, err)
	}
	return s, nil
}

// changes lists the columns of next that differ from prev: a secret's
// state changes only in its failures and its end.
func (next secretRow) changes(prev secretRow) map[string]any {
	c := columnChanges{}
	c.value("failures", prev.Failures != next.Failures, next.Failures)
	c.optionalTime("ended_at", prev.EndedAt, next.EndedAt)
	c.value("end_reason", prev.EndReason != next.EndReason, next.EndReason)
	return c
}
