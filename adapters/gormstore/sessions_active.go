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
		Where("user_id = ? AND revoked_at IS NULL AND idle_expires_at > ? AND expires_at > ?", userID.String(), t, t)
}

// ListActive returns the user's active sessions, newest first.
func (r *SessionRepository) ListActive(ctx context.Context, userID user.ID, now time.Time) ([]*session.Session, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	var rows []sessionRow
	err := active(r.conn.with(ctx), userID, now).Order("created_at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return nil, r.conn.wrap("list sessions", err)
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
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	q := active(r.conn.with(ctx), userID, now)
	if !except.IsZero() {
		q = q.Where("id <> ?", except.String())
	}
	res := q.Updates(map[string]any{"revoked_at": dbTime(now), "revoke_reason": string(reason)})
	if res.Error != nil {
		return 0, r.conn.wrap("revoke sessions", res.Error)
	}
	return int(res.RowsAffected), nil
}

// DeleteAllOf deletes every session of the user.
func (r *SessionRepository) DeleteAllOf(ctx context.Context, userID user.ID) error {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	err := r.conn.with(ctx).Where("user_id = ?", userID.String()).Delete(&sessionRow{}).Error
	return r.conn.wrap("delete sessions", err)
}
