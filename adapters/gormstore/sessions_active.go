package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// active restricts q to the user's sessions that are usable at now: the
// SQL form of session.IsActive.
func active(q *gorm.DB, userID user.ID, now time.Time) *gorm.DB {
	t := dbTime(now)
	return q.Model(&sessionRow{}).
		Where("user_id = ? AND revoked_at IS NULL AND idle_expires_at > ? AND expires_at > ?", string(userID), t, t)
}

// ListActive returns the user's active sessions, newest first.
func (r *SessionRepository) ListActive(ctx context.Context, userID user.ID, now time.Time) ([]*session.Session, error) {
	if !isID(string(userID)) {
		return nil, nil
	}
	var rows []sessionRow
	err := active(r.conn.with(ctx), userID, now).Order("created_at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return nil, wrap("list sessions", err)
	}
	out := make([]*session.Session, 0, len(rows))
	for _, row := range rows {
		s, err := row.toDomain()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// RevokeAll revokes the user's active sessions except the one named by
// except, in one UPDATE.
func (r *SessionRepository) RevokeAll(ctx context.Context, userID user.ID, except session.ID, now time.Time, reason session.RevokeReason) (int, error) {
	if !isID(string(userID)) {
		return 0, nil
	}
	q := active(r.conn.with(ctx), userID, now)
	// An except that is not a UUID names no stored session: nothing to spare.
	if isID(string(except)) {
		q = q.Where("id <> ?", string(except))
	}
	res := q.Updates(revocation(now, reason))
	if res.Error != nil {
		return 0, wrap("revoke sessions", res.Error)
	}
	return int(res.RowsAffected), nil
}

// RevokeBeyondCap revokes all but the keep most recently used active
// sessions of the user. Two logins of one user racing past the cap must not
// both keep their sessions, so callers are serialised on the user's row:
// the transaction locks it (FOR NO KEY UPDATE on PostgreSQL; SQLite serialises
// writers already) before it counts.
func (r *SessionRepository) RevokeBeyondCap(ctx context.Context, userID user.ID, keep int, now time.Time) (int, error) {
	if !isID(string(userID)) {
		return 0, nil
	}
	keep = max(keep, 0)
	revoked := 0
	err := r.conn.with(ctx).Transaction(func(tx *gorm.DB) error {
		var owner []string
		err := r.conn.forNoKeyUpdate(tx.Model(&userRow{})).Where("id = ?", string(userID)).Pluck("id", &owner).Error
		if err != nil || len(owner) == 0 {
			return err // an unknown user has no sessions to revoke
		}
		var ids []string
		err = active(tx, userID, now).Order("last_used_at DESC, created_at DESC, id DESC").Pluck("id", &ids).Error
		if err != nil || len(ids) <= keep {
			return err
		}
		// A user holds few sessions (the cap), so trimming the list here is
		// cheaper than dialect-specific OFFSET-only SQL.
		res := tx.Model(&sessionRow{}).Where("id IN ?", ids[keep:]).Updates(revocation(now, session.ReasonEvicted))
		revoked = int(res.RowsAffected)
		return res.Error
	})
	if err != nil {
		return 0, wrap("revoke sessions beyond cap", err)
	}
	return revoked, nil
}

// revocation is the column change that Session.Revoke makes.
func revocation(now time.Time, reason session.RevokeReason) map[string]any {
	return map[string]any{"revoked_at": dbTime(now), "revoke_reason": string(reason)}
}
