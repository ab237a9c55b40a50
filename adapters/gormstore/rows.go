package gormstore

import (
	"fmt"
	"math"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// userRow is the users table as GORM sees it. Storage tags live here and
// nowhere else; userToRow and toDomain are the only crossings.
type userRow struct {
	ID            string    `gorm:"column:id;primaryKey"`
	Email         string    `gorm:"column:email"`
	FullName      string    `gorm:"column:full_name"`
	Role          string    `gorm:"column:role"`
	PasswordHash  *string   `gorm:"column:password_hash"` // NULL: no password
	Disabled      bool      `gorm:"column:disabled"`
	EmailVerified bool      `gorm:"column:email_verified"`
	CreatedAt     time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt     time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

// TableName tells GORM the table name.
func (userRow) TableName() string { return "users" }

// sessionRow is the sessions table as GORM sees it.
type sessionRow struct {
	ID            string     `gorm:"column:id;primaryKey"`
	UserID        string     `gorm:"column:user_id"`
	Generation    int64      `gorm:"column:generation"`
	UserAgent     string     `gorm:"column:user_agent"`
	IP            string     `gorm:"column:ip"`
	CreatedAt     time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	LastUsedAt    time.Time  `gorm:"column:last_used_at"`
	RotatedAt     time.Time  `gorm:"column:rotated_at"`
	IdleExpiresAt time.Time  `gorm:"column:idle_expires_at"`
	ExpiresAt     time.Time  `gorm:"column:expires_at"`
	RevokedAt     *time.Time `gorm:"column:revoked_at"`
	RevokeReason  string     `gorm:"column:revoke_reason"`
}

// TableName tells GORM the table name.
func (sessionRow) TableName() string { return "sessions" }

// dbTime is the form of every time written to or compared in the database:
// UTC, so that SQLite's text form sorts correctly, and truncated to the
// microsecond, the precision of PostgreSQL (which would otherwise round, so
// both dialects store exactly the same instant).
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func userToRow(u *user.User) userRow {
	s := u.Snapshot()
	return userRow{
		ID: s.ID.String(), Email: s.Email, FullName: s.FullName, Role: s.Role,
		PasswordHash: nullable(s.PasswordHash), Disabled: s.Disabled, EmailVerified: s.EmailVerified,
		CreatedAt: dbTime(s.CreatedAt), UpdatedAt: dbTime(s.UpdatedAt),
	}
}

// nullable stores "" (a user.Snapshot's "no password") as NULL.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// orEmpty reads NULL back as "".
func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (r userRow) toDomain() (*user.User, error) {
	id, err := user.ParseID(r.ID)
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored user has a malformed id: %w", err)
	}
	u, err := user.Rehydrate(user.Snapshot{
		ID: id, Email: r.Email, FullName: r.FullName, Role: r.Role,
		PasswordHash: orEmpty(r.PasswordHash), Disabled: r.Disabled, EmailVerified: r.EmailVerified,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	})
	if err != nil {
		// The row id is safe to name; the cause may be a validation message
		// but never echoes a stored value.
		return nil, fmt.Errorf("gormstore: stored user %s is invalid: %w", r.ID, err)
	}
	return u, nil
}

func sessionToRow(s *session.Session) (sessionRow, error) {
	sn := s.Snapshot()
	if sn.Generation > math.MaxInt64 {
		return sessionRow{}, fmt.Errorf("gormstore: session %s: generation does not fit a bigint", sn.ID)
	}
	var revoked *time.Time
	if sn.RevokedAt != nil {
		t := dbTime(*sn.RevokedAt)
		revoked = &t
	}
	return sessionRow{
		ID: sn.ID.String(), UserID: sn.UserID.String(), Generation: int64(sn.Generation),
		UserAgent: sn.UserAgent, IP: sn.IP,
		CreatedAt: dbTime(sn.CreatedAt), LastUsedAt: dbTime(sn.LastUsedAt), RotatedAt: dbTime(sn.RotatedAt),
		IdleExpiresAt: dbTime(sn.IdleExpiresAt), ExpiresAt: dbTime(sn.ExpiresAt),
		RevokedAt: revoked, RevokeReason: string(sn.RevokeReason),
	}, nil
}

func (r sessionRow) toDomain() (*session.Session, error) {
	if r.Generation <= 0 {
		return nil, fmt.Errorf("gormstore: stored session %s has generation %d", r.ID, r.Generation)
	}
	id, err := session.ParseID(r.ID)
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored session has a malformed id: %w", err)
	}
	userID, err := user.ParseID(r.UserID)
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored session %s has a malformed user id: %w", r.ID, err)
	}
	s, err := session.Rehydrate(session.Snapshot{
		ID: id, UserID: userID, Generation: session.Generation(r.Generation),
		UserAgent: r.UserAgent, IP: r.IP,
		CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, RotatedAt: r.RotatedAt,
		IdleExpiresAt: r.IdleExpiresAt, ExpiresAt: r.ExpiresAt,
		RevokedAt: r.RevokedAt, RevokeReason: session.RevokeReason(r.RevokeReason),
	})
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored session %s is invalid: %w", r.ID, err)
	}
	return s, nil
}
