package gormstore

import (
	"context"

	"gorm.io/gorm"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/outbound"
)

// PrincipalLookup loads a session and its user for every authenticated
// request with one join, where the default composition (package compose)
// would take two queries: the optimisation a store holding both may make.
type PrincipalLookup struct{ conn conn }

var _ outbound.PrincipalLookup = (*PrincipalLookup)(nil)

// principalQuery is the bearer-auth hot path: one primary-key lookup on
// sessions joined to users by primary key. The inner join makes a session
// whose user is gone (deleted) simply not found. The columns are in the
// order of principalRow.columns.
const principalQuery = `
SELECT s.id, s.user_id, s.generation, s.user_agent, s.ip, s.created_at, s.last_used_at,
       s.rotated_at, s.idle_expires_at, s.expires_at, s.revoked_at, s.revoke_reason,
       u.id, u.email, u.full_name, u.role,
       u.password_hash, u.disabled,
       u.email_verified, u.created_at,
       u.updated_at
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.id = ?`

// principalRow is one row of principalQuery.
type principalRow struct {
	Session sessionRow
	User    userRow
}

// columns lists where each column of principalQuery goes, in its order.
// The row is scanned by database/sql directly rather than by GORM's
// reflection, which took about a fifth of authd's CPU on every
// authenticated request.
func (r *principalRow) columns() []any {
	s, u := &r.Session, &r.User
	return []any{
		&s.ID, &s.UserID, &s.Generation, &s.UserAgent, &s.IP, &s.CreatedAt, &s.LastUsedAt,
		&s.RotatedAt, &s.IdleExpiresAt, &s.ExpiresAt, &s.RevokedAt, &s.RevokeReason,
		&u.ID, &u.Email, &u.FullName, &u.Role,
		&u.PasswordHash, &u.Disabled,
		&u.EmailVerified, &u.CreatedAt,
		&u.UpdatedAt,
	}
}

// LoadPrincipal returns the session and its user, or session.ErrNotFound.
// It returns revoked and expired sessions too: deciding what they mean is
// the caller's job.
func (p *PrincipalLookup) LoadPrincipal(ctx context.Context, id session.ID) (outbound.Principal, error) {
	ctx, cancel := p.conn.bound(ctx)
	defer cancel()
	row, found, err := queryPrincipal(p.conn.with(ctx), principalQuery, id)
	if err != nil {
		return outbound.Principal{}, p.conn.wrap("load principal", err)
	}
	p.conn.succeeded()
	if !found {
		return outbound.Principal{}, session.ErrNotFound
	}
	s, err := row.Session.toDomain()
	if err != nil {
		return outbound.Principal{}, err
	}
	u, err := row.User.toDomain()
	if err != nil {
		return outbound.Principal{}, err
	}
	return outbound.Principal{Session: s, User: u}, nil
}

// queryPrincipal runs query, principalQuery or a locking form of it,
// through GORM (so that its placeholders, deadline and plugins apply) and
// scans its one row, if any.
func queryPrincipal(db *gorm.DB, query string, id session.ID) (row principalRow, found bool, err error) {
	rows, err := db.Raw(query, id.String()).Rows()
	if err != nil {
		return row, false, err
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(row.columns()...); err != nil {
			return row, false, err
		}
		found = true
	}
	if err := rows.Err(); err != nil {
		return row, false, err
	}
	return row, found, rows.Close()
}
