package gormstore

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// SessionRepository stores sessions in the sessions table.
type SessionRepository struct{ conn conn }

var _ outbound.SessionRepository = (*SessionRepository)(nil)

// Add inserts s. It fails with user.ErrNotFound when s's user does not exist.
func (r *SessionRepository) Add(ctx context.Context, s *session.Session) error {
	row, err := sessionToRow(s)
	if err != nil {
		return err
	}
	if !isID(row.ID) {
		return user.Invalid("id", "must be a UUID")
	}
	if !isID(row.UserID) {
		return user.ErrNotFound
	}
	err = r.conn.with(ctx).Create(&row).Error
	switch {
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return user.ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return user.Invalid("id", "already exists")
	}
	return wrap("add session", err)
}

// Get loads the session with the given id.
func (r *SessionRepository) Get(ctx context.Context, id session.ID) (*session.Session, error) {
	if !isID(string(id)) {
		return nil, session.ErrNotFound
	}
	var row sessionRow
	if err := r.conn.with(ctx).Where("id = ?", string(id)).Take(&row).Error; err != nil {
		if isNotFound(err) {
			return nil, session.ErrNotFound
		}
		return nil, wrap("get session", err)
	}
	return row.toDomain()
}

// Update is the refresh path: it locks the session's row (SELECT ... FOR
// UPDATE), so concurrent refreshes of one session queue up and each sees
// the generation the previous one committed; then it applies fn and writes
// the columns fn changed. When fn fails nothing is written.
func (r *SessionRepository) Update(ctx context.Context, id session.ID, fn func(*session.Session) error) (*session.Session, error) {
	if !isID(string(id)) {
		return nil, session.ErrNotFound
	}
	var saved *session.Session
	err := r.conn.with(ctx).Transaction(func(tx *gorm.DB) error {
		var prev sessionRow
		if err := r.conn.forUpdate(tx).Where("id = ?", string(id)).Take(&prev).Error; err != nil {
			if isNotFound(err) {
				return session.ErrNotFound
			}
			return wrap("update session", err)
		}
		s, err := prev.toDomain()
		if err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
		next, err := sessionToRow(s)
		if err != nil {
			return err
		}
		if changes := next.changes(prev); len(changes) > 0 {
			if err := tx.Model(&sessionRow{}).Where("id = ?", string(id)).Updates(changes).Error; err != nil {
				return wrap("update session", err)
			}
		}
		saved, err = next.toDomain()
		return err
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}
