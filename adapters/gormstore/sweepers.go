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
	batch := s.conn.with(ctx).Model(&secretRow{}).Select("id").Where("expires_at <= ? OR ended_at IS NOT NULL", dbTime(now))
	return s.conn.deleteBatch(ctx, "one_time_secrets", "id", batch, limit, "sweep secrets")
}

// OutboxSweeper deletes delivered mail. Failed messages stay, for an
// operator to look at.
type OutboxSweeper struct{ conn conn }

var _ outbound.Sweeper = OutboxSweeper{}

// Name is "outbox".
func (OutboxSweeper) Name() string { return "outbox" }

// Sweep deletes up to limit messages sent before now.
func (s OutboxSweeper) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	batch := s.conn.with(ctx).Model(&outboxRow{}).Select("id").Where("status = 'sent' AND settled_at < ?", dbTime(now))
	return s.conn.deleteBatch(ctx, "mail_outbox", "id", batch, limit, "sweep outbox")
}
