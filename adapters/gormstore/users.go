package gormstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// UserRepository stores users in the users table.
type UserRepository struct{ conn conn }

var _ outbound.UserRepository = (*UserRepository)(nil)

// Add inserts u. It fails with user.ErrEmailTaken when the email is in use.
//
// The insert says ON CONFLICT DO NOTHING instead of letting the unique
// constraint raise an error, for two reasons: a constraint error aborts a
// PostgreSQL transaction, which would make every later statement of a
// Transactor.Within fail; and the translated error no longer says which
// constraint fired, while a follow-up lookup does. A taken id is a broken
// invariant (ids are fresh UUIDv7), so it is an internal error.
func (r *UserRepository) Add(ctx context.Context, u *user.User) error {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	row := userToRow(u)
	res := r.conn.with(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return r.conn.wrap("add user", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := r.conn.with(ctx).Model(&userRow{}).Where("email = ?", row.Email).Count(&n).Error; err != nil {
		return r.conn.wrap("add user", err)
	}
	if n > 0 {
		return user.ErrEmailTaken
	}
	return fmt.Errorf("gormstore: add user: id %s already exists", row.ID)
}

// Get loads the user with the given id.
func (r *UserRepository) Get(ctx context.Context, id user.ID) (*user.User, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	return r.take(r.conn.with(ctx).Where("id = ?", id.String()), "get user")
}

// FindByEmail loads the user with the given (normalised) email.
func (r *UserRepository) FindByEmail(ctx context.Context, email user.Email) (*user.User, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	return r.take(r.conn.with(ctx).Where("email = ?", email.String()), "find user by email")
}

func (r *UserRepository) take(q *gorm.DB, op string) (*user.User, error) {
	var row userRow
	if err := q.Take(&row).Error; err != nil {
		if isNotFound(err) {
			return nil, user.ErrNotFound
		}
		return nil, r.conn.wrap(op, err)
	}
	return row.toDomain()
}

// Update locks the user's row, applies fn and writes the columns fn
// changed, in one transaction (the surrounding one inside Within).
//
// The lock is FOR NO KEY UPDATE on PostgreSQL: it queues concurrent Updates
// of the user but, unlike FOR UPDATE, does not conflict with the KEY SHARE
// lock that inserting a session referencing the user takes, so a login in
// one transaction and a session insert in another cannot deadlock.
func (r *UserRepository) Update(ctx context.Context, id user.ID, fn func(*user.User) error) (*user.User, error) {
	var saved *user.User
	err := r.conn.atomically(ctx, func(tx *gorm.DB) error {
		var prev userRow
		if err := r.conn.forNoKeyUpdate(tx).Where("id = ?", id.String()).Take(&prev).Error; err != nil {
			if isNotFound(err) {
				return user.ErrNotFound
			}
			return r.conn.wrap("update user", err)
		}
		u, err := prev.toDomain()
		if err != nil {
			return err
		}
		if err := fn(u); err != nil {
			return err
		}
		next := userToRow(u)
		if changes := next.changes(prev); len(changes) > 0 {
			err := tx.Model(&userRow{}).Where("id = ?", id.String()).Updates(changes).Error
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				// The id cannot change, so the email is the only unique
				// column left to collide.
				return user.ErrEmailTaken
			}
			if err != nil {
				return r.conn.wrap("update user", err)
			}
		}
		saved = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// Delete removes the user's row. (The schema's foreign key would cascade
// to the user's sessions; the use case deletes them first itself.)
func (r *UserRepository) Delete(ctx context.Context, id user.ID) error {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	res := r.conn.with(ctx).Where("id = ?", id.String()).Delete(&userRow{})
	if res.Error != nil {
		return r.conn.wrap("delete user", res.Error)
	}
	if res.RowsAffected == 0 {
		return user.ErrNotFound
	}
	return nil
}
