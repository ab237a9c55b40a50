package gormstore

import (
	"context"
	"errors"

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
// constraint fired, while a follow-up lookup does.
func (r *UserRepository) Add(ctx context.Context, u *user.User) error {
	row := userToRow(u)
	if !isID(row.ID) {
		return user.Invalid("id", "must be a UUID")
	}
	res := r.conn.with(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return wrap("add user", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := r.conn.with(ctx).Model(&userRow{}).Where("email = ?", row.Email).Count(&n).Error; err != nil {
		return wrap("add user", err)
	}
	if n > 0 {
		return user.ErrEmailTaken
	}
	return user.Invalid("id", "already exists")
}

// Get loads the user with the given id.
func (r *UserRepository) Get(ctx context.Context, id user.ID) (*user.User, error) {
	if !isID(string(id)) {
		return nil, user.ErrNotFound
	}
	return r.take(r.conn.with(ctx).Where("id = ?", string(id)), "get user")
}

// FindByEmail loads the user with the given (normalised) email.
func (r *UserRepository) FindByEmail(ctx context.Context, email user.Email) (*user.User, error) {
	return r.take(r.conn.with(ctx).Where("email = ?", email.String()), "find user by email")
}

func (r *UserRepository) take(q *gorm.DB, op string) (*user.User, error) {
	var row userRow
	if err := q.Take(&row).Error; err != nil {
		if isNotFound(err) {
			return nil, user.ErrNotFound
		}
		return nil, wrap(op, err)
	}
	return row.toDomain()
}

// Update locks the user's row, applies fn and writes the columns fn
// changed, in one transaction (a savepoint when r is already inside one).
func (r *UserRepository) Update(ctx context.Context, id user.ID, fn func(*user.User) error) (*user.User, error) {
	if !isID(string(id)) {
		return nil, user.ErrNotFound
	}
	var saved *user.User
	err := r.conn.with(ctx).Transaction(func(tx *gorm.DB) error {
		var prev userRow
		if err := r.conn.forUpdate(tx).Where("id = ?", string(id)).Take(&prev).Error; err != nil {
			if isNotFound(err) {
				return user.ErrNotFound
			}
			return wrap("update user", err)
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
			err := tx.Model(&userRow{}).Where("id = ?", string(id)).Updates(changes).Error
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				// The id cannot change, so the email is the only unique
				// column left to collide.
				return user.ErrEmailTaken
			}
			if err != nil {
				return wrap("update user", err)
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

// Delete removes the user; the foreign key cascades to its sessions.
func (r *UserRepository) Delete(ctx context.Context, id user.ID) error {
	if !isID(string(id)) {
		return user.ErrNotFound
	}
	res := r.conn.with(ctx).Where("id = ?", string(id)).Delete(&userRow{})
	if res.Error != nil {
		return wrap("delete user", res.Error)
	}
	if res.RowsAffected == 0 {
		return user.ErrNotFound
	}
	return nil
}
