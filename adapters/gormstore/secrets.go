package gormstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// SecretRepository stores one-time secrets in the one_time_secrets table.
type SecretRepository struct{ conn conn }

var _ outbound.SecretRepository = (*SecretRepository)(nil)

// Add inserts s. Its user must exist (the schema's foreign key), and ids
// and token digests are fresh, so any conflict is an internal error.
func (r *SecretRepository) Add(ctx context.Context, s *onetime.Secret) error {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	row := secretToRow(s)
	err := r.conn.with(ctx).Create(&row).Error
	switch {
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return fmt.Errorf("gormstore: add secret %s: its user %s does not exist", row.ID, row.UserID)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("gormstore: add secret %s: id or token digest already exists", row.ID)
	}
	return r.conn.wrap("add secret", err)
}

// FindByToken loads the secret with the token digest (a unique index).
func (r *SecretRepository) FindByToken(ctx context.Context, d onetime.Digest) (*onetime.Secret, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	return r.take(r.conn.with(ctx).Where("token_digest = ?", d[:]), "find secret by token")
}

// LatestPending loads the user's newest pending secret of the purpose
// (ids are UUIDv7: the largest is the newest), from the partial index.
func (r *SecretRepository) LatestPending(ctx context.Context, userID user.ID, purpose onetime.Purpose) (*onetime.Secret, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	q := r.conn.with(ctx).Where("user_id = ? AND purpose = ? AND ended_at IS NULL", userID.String(), string(purpose)).Order("id DESC")
	return r.take(q, "find pending secret")
}

func (r *SecretRepository) take(q *gorm.DB, op string) (*onetime.Secret, error) {
	var row secretRow
	if err := q.Take(&row).Error; err != nil {
		if isNotFound(err) {
			return nil, onetime.ErrNotFound
		}
		return nil, r.conn.wrap(op, err)
	}
	return row.toDomain()
}

// Update locks the secret's row (FOR UPDATE on PostgreSQL; SQLite
// serialises writers), applies fn and writes what it changed.
func (r *SecretRepository) Update(ctx context.Context, id onetime.ID, fn func(*onetime.Secret) error) (*onetime.Secret, error) {
	var saved *onetime.Secret
	err := r.conn.atomically(ctx, func(tx *gorm.DB) error {
		var prev secretRow
		if err := r.conn.forUpdate(tx).Where("id = ?", id.String()).Take(&prev).Error; err != nil {
			if isNotFound(err) {
				return onetime.ErrNotFound
			}
			return r.conn.wrap("update secret", err)
		}
		s, err := prev.toDomain()
		if err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
		if changes := secretToRow(s).changes(prev); len(changes) > 0 {
			if err := tx.Model(&secretRow{}).Where("id = ?", id.String()).Updates(changes).Error; err != nil {
				return r.conn.wrap("update secret", err)
			}
		}
		saved = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// SupersedePending ends the user's pending secrets of the purpose in one
// UPDATE: the SQL form of onetime.Secret.Supersede.
func (r *SecretRepository) SupersedePending(ctx context.Context, userID user.ID, purpose onetime.Purpose, now time.Time) (int, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	res := r.conn.with(ctx).Model(&secretRow{}).
		Where("user_id = ? AND purpose = ? AND ended_at IS NULL", userID.String(), string(purpose)).
		Updates(map[string]any{"ended_at": dbTime(now), "end_reason": string(onetime.Superseded)})
	if res.Error != nil {
		return 0, r.conn.wrap("supersede secrets", res.Error)
	}
	return int(res.RowsAffected), nil
}
