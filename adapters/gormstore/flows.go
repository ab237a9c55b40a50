package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/ports/outbound"
)

// FlowStateRepository keeps started sign-in flows in oidc_flow_states. It
// is also the sweeper of the expired ones.
type FlowStateRepository struct{ conn conn }

var (
	_ outbound.FlowStateRepository = (*FlowStateRepository)(nil)
	_ outbound.Sweeper             = (*FlowStateRepository)(nil)
)

// Add inserts f. A taken state hash is a broken invariant (states are 256
// random bits), so an internal error.
func (r *FlowStateRepository) Add(ctx context.Context, f *identity.FlowState) error {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	row := flowToRow(f)
	return r.conn.wrap("add flow state", r.conn.with(ctx).Create(&row).Error)
}

// Take deletes the flow and returns it, in one transaction: the row lock
// (FOR UPDATE on PostgreSQL, the single writer on SQLite) makes a second,
// concurrent Take of the same state find nothing.
func (r *FlowStateRepository) Take(ctx context.Context, stateHash identity.SecretHash) (*identity.FlowState, error) {
	var row flowStateRow
	err := r.conn.atomically(ctx, func(tx *gorm.DB) error {
		if err := r.conn.forUpdate(tx).Where("state_hash = ?", string(stateHash)).Take(&row).Error; err != nil {
			if isNotFound(err) {
				return identity.ErrNotFound
			}
			return r.conn.wrap("take flow state", err)
		}
		res := tx.Where("state_hash = ?", string(stateHash)).Delete(&flowStateRow{})
		if res.Error != nil {
			return r.conn.wrap("take flow state", res.Error)
		}
		if res.RowsAffected == 0 {
			return identity.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return row.toDomain()
}

// DeleteExpired removes at most limit flows that expired before now.
func (r *FlowStateRepository) DeleteExpired(ctx context.Context, now time.Time, limit int) (int, error) {
	return deleteExpired(ctx, r.conn, "oidc_flow_states", "state_hash", now, limit)
}

// Name names the sweeper.
func (r *FlowStateRepository) Name() string { return "oidc_flow_states" }

// Sweep is DeleteExpired for the background cleanup.
func (r *FlowStateRepository) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	return r.DeleteExpired(ctx, now, limit)
}

// LoginCodeRepository keeps one-time login codes in oidc_login_codes. It
// is also the sweeper of the expired ones.
type LoginCodeRepository struct{ conn conn }

var (
	_ outbound.LoginCodeRepository = (*LoginCodeRepository)(nil)
	_ outbound.Sweeper             = (*LoginCodeRepository)(nil)
)

// Add inserts c.
func (r *LoginCodeRepository) Add(ctx context.Context, c identity.LoginCode) error {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	row := loginCodeRow{
		CodeHash: string(c.Hash), UserID: c.UserID.String(), Provider: c.Provider,
		CreatedAt: dbTime(c.CreatedAt), ExpiresAt: dbTime(c.ExpiresAt),
	}
	return r.conn.wrap("add login code", r.conn.with(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error)
}

// Take deletes the code and returns it; only one of concurrent Takes of a
// code gets it (DELETE ... RETURNING on both dialects).
func (r *LoginCodeRepository) Take(ctx context.Context, hash identity.SecretHash) (identity.LoginCode, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	var rows []loginCodeRow
	err := r.conn.with(ctx).Clauses(clause.Returning{}).Where("code_hash = ?", string(hash)).Delete(&rows).Error
	if err != nil {
		return identity.LoginCode{}, r.conn.wrap("take login code", err)
	}
	if len(rows) == 0 {
		return identity.LoginCode{}, identity.ErrNotFound
	}
	return rows[0].toDomain()
}

// DeleteExpired removes at most limit codes that expired before now.
func (r *LoginCodeRepository) DeleteExpired(ctx context.Context, now time.Time, limit int) (int, error) {
	return deleteExpired(ctx, r.conn, "oidc_login_codes", "code_hash", now, limit)
}

// Name names the sweeper.
func (r *LoginCodeRepository) Name() string { return "oidc_login_codes" }

// Sweep is DeleteExpired for the background cleanup.
func (r *LoginCodeRepository) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	return r.DeleteExpired(ctx, now, limit)
}

// deleteExpired deletes one batch of rows of table whose expires_at is
// before now, through the expires_at index.
func deleteExpired(ctx context.Context, c conn, table, key string, now time.Time, limit int) (int, error) {
	batch := c.with(ctx).Table(table).Select(key).Where("expires_at < ?", dbTime(now)).Order("expires_at")
	return c.deleteBatch(ctx, table, key, batch, limit, "delete expired "+table)
}
