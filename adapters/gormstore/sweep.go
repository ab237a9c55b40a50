package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/authd/authd/ports/outbound"
)

// SessionSweeper deletes sessions that are over for good: a session that
// expired (idle timeout or absolute lifetime) as soon as it has, and a
// revoked one once it was revoked longer ago than the retention (the audit
// retention), so recently revoked sessions stay available for inspection.
type SessionSweeper struct {
	conn      conn
	retention time.Duration
}

var _ outbound.Sweeper = (*SessionSweeper)(nil)

// SessionSweeper returns the sweeper of ended sessions; revoked sessions
// are kept for retention.
func (db *DB) SessionSweeper(retention time.Duration) *SessionSweeper {
	return &SessionSweeper{conn: db.conn(), retention: retention}
}

// Name implements outbound.Sweeper.
func (*SessionSweeper) Name() string { return "sessions" }

// Sweep deletes at most limit ended sessions.
func (s *SessionSweeper) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	// The idle deadline is capped by the absolute one (session.Start,
	// Redeem), so it alone says whether a session has expired; each arm of
	// the condition has a partial index (migration 00005).
	batch := s.conn.with(ctx).Model(&sessionRow{}).Select("id").
		Where("(revoked_at IS NULL AND idle_expires_at <= ?) OR revoked_at < ?", dbTime(now), dbTime(now.Add(-s.retention)))
	return s.conn.deleteBatch(ctx, "sessions", "id", batch, limit, "sweep sessions")
}

// AuditSweeper deletes audit events older than the retention.
type AuditSweeper struct {
	conn      conn
	retention time.Duration
}

var _ outbound.Sweeper = (*AuditSweeper)(nil)

// AuditSweeper returns the sweeper of audit events older than retention.
func (db *DB) AuditSweeper(retention time.Duration) *AuditSweeper {
	return &AuditSweeper{conn: db.conn(), retention: retention}
}

// Name implements outbound.Sweeper.
func (*AuditSweeper) Name() string { return "audit_events" }

// Sweep deletes at most limit of the oldest expired events, by the at index.
func (s *AuditSweeper) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	batch := s.conn.with(ctx).Model(&auditRow{}).Select("id").
		Where("at < ?", dbTime(now.Add(-s.retention))).Order("at")
	return s.conn.deleteBatch(ctx, "audit_events", "id", batch, limit, "sweep audit events")
}

// deleteBatch deletes the rows of table whose key the query batch selects,
// at most limit of them, in one statement: every sweeper's delete. On
// PostgreSQL rows locked by a request in flight (a refresh holding its
// session, a secret being spent) are skipped, not waited for, so the sweep
// never stalls a request and two instances sweeping at once delete
// different rows. table and key are constants of the callers, never input.
func (c conn) deleteBatch(ctx context.Context, table, key string, batch *gorm.DB, limit int, op string) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	ctx, cancel := c.bound(ctx)
	defer cancel()
	batch = batch.WithContext(ctx).Limit(limit)
	if c.dialect == dialectPostgres {
		batch = batch.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate, Options: clause.LockingOptionsSkipLocked})
	}
	res := c.with(ctx).Exec("DELETE FROM "+table+" WHERE "+key+" IN (?)", batch)
	if res.Error != nil {
		return 0, c.wrap(op, res.Error)
	}
	return int(res.RowsAffected), nil
}
