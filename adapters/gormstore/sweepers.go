package gormstore

import (
	"context"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// SecretSweeper deletes the one-time secrets no request can use any more:
// ended (used, superseded, dead after wrong codes) or expired.
type SecretSweeper struct{ conn conn }

var _ outbound.Sweeper = SecretSweeper{}

// Name is "one_time_secrets".
func (SecretSweeper) Name() string { return "one_time_secrets" }

// Sweep deletes up to limit finished secrets, picked through the expiry and
// end indexes.
func (s SecretSweeper) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	ctx, cancel := s.conn.bound(ctx)
	defer cancel()
	t := dbTime(now)
	res := s.conn.with(ctx).Exec(`DELETE FROM one_time_secrets WHERE id IN (
    SELECT id FROM one_time_secrets WHERE expires_at <= ? OR ended_at IS NOT NULL LIMIT ?)`, t, limit)
	if res.Error != nil {
		return 0, s.conn.wrap("sweep secrets", res.Error)
	}
	return int(res.RowsAffected), nil
}

// OutboxSweeper deletes delivered mail. Failed messages stay, for an
// operator to look at.
type OutboxSweeper struct{ conn conn }

var _ outbound.Sweeper = OutboxSweeper{}

// Name is "outbox".
func (OutboxSweeper) Name() string { return "outbox" }

// Sweep deletes up to limit messages sent before now.
func (s OutboxSweeper) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	ctx, cancel := s.conn.bound(ctx)
	defer cancel()
	res := s.conn.with(ctx).Exec(`DELETE FROM mail_outbox WHERE id IN (
    SELECT id FROM mail_outbox WHERE status = 'sent' AND settled_at < ? LIMIT ?)`, dbTime(now), limit)
	if res.Error != nil {
		return 0, s.conn.wrap("sweep outbox", res.Error)
	}
	return int(res.RowsAffected), nil
}
