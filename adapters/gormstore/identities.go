package gormstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm/clause"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// IdentityRepository stores linked identities in the identities table.
type IdentityRepository struct{ conn conn }

var _ outbound.IdentityRepository = (*IdentityRepository)(nil)

// Add inserts i, or fails with identity.ErrIdentityTaken when (provider,
// subject) is linked already. As in UserRepository.Add, ON CONFLICT DO
// NOTHING keeps the constraint from aborting a PostgreSQL transaction.
func (r *IdentityRepository) Add(ctx context.Context, i *identity.Identity) error {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	row := identityToRow(i)
	res := r.conn.with(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return r.conn.wrap("add identity", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	_, err := r.FindBySubject(ctx, row.Provider, row.Subject)
	switch {
	case err == nil:
		return identity.ErrIdentityTaken
	case errors.Is(err, identity.ErrNotFound):
		return fmt.Errorf("gormstore: add identity: id %s already exists", row.ID)
	}
	return err
}

// Get loads the identity with the given id.
func (r *IdentityRepository) Get(ctx context.Context, id identity.ID) (*identity.Identity, error) {
	return r.take(ctx, "get identity", "id = ?", id.String())
}

// FindBySubject loads the identity of a provider's subject.
func (r *IdentityRepository) FindBySubject(ctx context.Context, provider, subject string) (*identity.Identity, error) {
	return r.take(ctx, "find identity", "provider = ? AND subject = ?", provider, subject)
}

func (r *IdentityRepository) take(ctx context.Context, op, where string, args ...any) (*identity.Identity, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	var row identityRow
	if err := r.conn.with(ctx).Where(where, args...).Take(&row).Error; err != nil {
		if isNotFound(err) {
			return nil, identity.ErrNotFound
		}
		return nil, r.conn.wrap(op, err)
	}
	return row.toDomain()
}

// ListByUser returns the user's identities, oldest (smallest UUIDv7) first.
func (r *IdentityRepository) ListByUser(ctx context.Context, userID user.ID) ([]*identity.Identity, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	var rows []identityRow
	if err := r.conn.with(ctx).Where("user_id = ?", userID.String()).Order("id").Find(&rows).Error; err != nil {
		return nil, r.conn.wrap("list identities", err)
	}
	out := make([]*identity.Identity, 0, len(rows))
	for _, row := range rows {
		i, err := row.toDomain()
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, nil
}

// Delete removes the identity.
func (r *IdentityRepository) Delete(ctx context.Context, id identity.ID) error {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	res := r.conn.with(ctx).Where("id = ?", id.String()).Delete(&identityRow{})
	if res.Error != nil {
		return r.conn.wrap("delete identity", res.Error)
	}
	if res.RowsAffected == 0 {
		return identity.ErrNotFound
	}
	return nil
}
