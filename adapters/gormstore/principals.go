package gormstore

import (
	"context"

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
// whose user is gone (deleted) simply not found. User columns carry a u_
// prefix to land in principalRow.User.
const principalQuery = `
SELECT s.id, s.user_id, s.generation, s.user_agent, s.ip, s.created_at, s.last_used_at,
       s.rotated_at, s.idle_expires_at, s.expires_at, s.revoked_at, s.revoke_reason,
       u.id AS u_id, u.email AS u_email, u.full_name AS u_full_name, u.role AS u_role,
       u.password_hash AS u_password_hash, u.disabled AS u_disabled,
       u.email_verified AS u_email_verified, u.created_at AS u_created_at,
       u.updated_at AS u_updated_at
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.id = ?`

// principalRow is one row of principalQuery.
type principalRow struct {
	Session sessionRow `gorm:"embedded"`
	User    userRow    `gorm:"embedded;embeddedPrefix:u_"`
}

// LoadPrincipal returns the session and its user, or session.ErrNotFound.
// It returns revoked and expired sessions too: deciding what they mean is
// the caller's job.
func (p *PrincipalLookup) LoadPrincipal(ctx context.Context, id session.ID) (outbound.Principal, error) {
	ctx, cancel := p.conn.bound(ctx)
	defer cancel()
	var row principalRow
	res := p.conn.with(ctx).Raw(principalQuery, id.String()).Scan(&row)
	if res.Error != nil {
		return outbound.Principal{}, p.conn.wrap("load principal", res.Error)
	}
	p.conn.succeeded()
	if res.RowsAffected == 0 {
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
