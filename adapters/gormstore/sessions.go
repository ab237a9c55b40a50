package gormstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/outbound"
)

// SessionRepository stores sessions in the sessions table.
type SessionRepository struct{ conn conn }

var _ outbound.SessionRepository = (*SessionRepository)(nil)

// Add inserts s. Its user must exist (the schema's foreign key); the use
// cases add sessions only for users they hold, so a violation is an
// internal error, like a taken id.
func (r *SessionRepository) Add(ctx context.Context, s *session.Session) error {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	row, err := sessionToRow(s)
	if err != nil {
		return err
	}
	err = r.conn.with(ctx).Create(&row).Error
	switch {
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return fmt.Errorf("gormstore: add session %s: its user %s does not exist", row.ID, row.UserID)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("gormstore: add session: id %s already exists", row.ID)
	}
	return r.conn.wrap("add session", err)
}

// Get loads the session with the given id.
func (r *SessionRepository) Get(ctx context.Context, id session.ID) (*session.Session, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	var row sessionRow
	if err := r.conn.with(ctx).Where("id = ?", id.String()).Take(&row).Error; err != nil {
		if isNotFound(err) {
			return nil, session.ErrNotFound
		}
		return nil, r.conn.wrap("get session", err)
	}
	return row.toDomain()
}

// Update locks the session's row (SELECT ... FOR UPDATE), so concurrent
// Updates of one session queue up and each sees the generation the
// previous one committed; then it applies fn and writes the columns fn
// changed. When fn fails nothing is written.
func (r *SessionRepository) Update(ctx context.Context, id session.ID, fn func(*session.Session) error) (*session.Session, error) {
	var saved *session.Session
	err := r.conn.atomically(ctx, func(tx *gorm.DB) error {
		var prev sessionRow
		if err := r.conn.forUpdate(tx).Where("id = ?", id.String()).Take(&prev).Error; err != nil {
			if isNotFound(err) {
				return session.ErrNotFound
			}
			return r.conn.wrap("update session", err)
		}
		s, err := r.conn.apply(tx, prev, fn)
		saved = s
		return err
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// apply runs fn on the session loaded as prev and writes the columns it
// changed; a no-op (a refresh within the grace interval) writes nothing.
func (c conn) apply(tx *gorm.DB, prev sessionRow, fn func(*session.Session) error) (*session.Session, error) {
	s, err := prev.toDomain()
	if err != nil {
		return nil, err
	}
	if err := fn(s); err != nil {
		return nil, err
	}
	next, err := sessionToRow(s)
	if err != nil {
		return nil, err
	}
	if changes := next.changes(prev); len(changes) > 0 {
		if err := tx.Model(&sessionRow{}).Where("id = ?", prev.ID).Updates(changes).Error; err != nil {
			return nil, c.wrap("update session", err)
		}
	}
	return s, nil
}
