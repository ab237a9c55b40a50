package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/ports/outbound"
)

// Outbox is the mail outbox in the mail_outbox table. Claims are exclusive
// across processes: on PostgreSQL the claim selects its rows FOR UPDATE
// SKIP LOCKED, so concurrent claimers each take other rows without
// waiting; on SQLite every write transaction holds the database's one
// write lock (BEGIN IMMEDIATE), so claims simply take turns. A claim then
// moves the rows' due time to the end of its lease, which hides them from
// every later claim until the claimer settles them or dies.
type Outbox struct{ conn conn }

var _ outbound.Outbox = (*Outbox)(nil)

// outboxRow is the mail_outbox table as GORM sees it.
type outboxRow struct {
	ID            string     `gorm:"column:id;primaryKey"`
	Purpose       string     `gorm:"column:purpose"`
	Recipient     string     `gorm:"column:recipient"`
	Payload       []byte     `gorm:"column:payload"`
	Status        string     `gorm:"column:status"`
	Attempts      int        `gorm:"column:attempts"`
	NextAttemptAt time.Time  `gorm:"column:next_attempt_at"`
	CreatedAt     time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	SettledAt     *time.Time `gorm:"column:settled_at"`
	LastError     string     `gorm:"column:last_error"`
}

// TableName tells GORM the table name.
func (outboxRow) TableName() string { return "mail_outbox" }

// Enqueue inserts a pending message, due at once.
func (o *Outbox) Enqueue(ctx context.Context, m outbound.OutboxMessage) error {
	ctx, cancel := o.conn.bound(ctx)
	defer cancel()
	at := dbTime(m.CreatedAt)
	row := outboxRow{
		ID: m.ID.String(), Purpose: string(m.Purpose), Recipient: m.To, Payload: m.Payload,
		Status: string(outbound.OutboxPending), NextAttemptAt: at, CreatedAt: at,
	}
	return o.conn.wrap("enqueue mail", o.conn.with(ctx).Create(&row).Error)
}

// EnqueueClaimed inserts a pending message at attempt 1, hidden until
// leaseUntil.
func (o *Outbox) EnqueueClaimed(ctx context.Context, m outbound.OutboxMessage, leaseUntil time.Time) error {
	ctx, cancel := o.conn.bound(ctx)
	defer cancel()
	at := dbTime(m.CreatedAt)
	row := outboxRow{
		ID: m.ID.String(), Purpose: string(m.Purpose), Recipient: m.To, Payload: m.Payload,
		Status: string(outbound.OutboxPending), Attempts: 1, NextAttemptAt: dbTime(leaseUntil), CreatedAt: at,
	}
	return o.conn.wrap("enqueue mail", o.conn.with(ctx).Create(&row).Error)
}

// claimQuery takes the due rows and counts the attempt. The inner SELECT
// locks the rows it picks, skipping those another claim holds; SQLite has
// neither clause nor need of it (see Outbox).
func (o *Outbox) claimQuery() string {
	lock := ""
	if o.conn.dialect == dialectPostgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	return `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ?
WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? AND attempts < ?
             ORDER BY next_attempt_at, id LIMIT ?` + lock + `)
RETURNING id, purpose, recipient, payload, attempts, created_at, next_attempt_at`
}

// Claim first gives up the due messages with no attempt left (their last
// claimer died, maybe after sending), then claims up to c.Limit others, in
// one transaction.
func (o *Outbox) Claim(ctx context.Context, c outbound.OutboxClaim) ([]outbound.OutboxMessage, error) {
	now := dbTime(c.Now)
	var rows []outboxRow
	err := o.conn.atomically(ctx, func(tx *gorm.DB) error {
		err := tx.Model(&outboxRow{}).
			Where("status = ? AND next_attempt_at <= ? AND attempts >= ?", string(outbound.OutboxPending), now, c.MaxAttempts).
			Updates(map[string]any{
				"status": string(outbound.OutboxFailed), "settled_at": now,
				"last_error": "no attempt left after an unsettled claim",
			}).Error
		if err != nil {
			return err
		}
		return tx.Raw(o.claimQuery(), dbTime(c.LeaseUntil), now, c.MaxAttempts, max(c.Limit, 0)).Scan(&rows).Error
	})
	if err != nil {
		return nil, o.conn.wrap("claim mail", err)
	}
	out := make([]outbound.OutboxMessage, 0, len(rows))
	for _, r := range rows {
		m, err := r.toMessage()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sortMessages(out)
	return out, nil
}

// Settle writes the outcome when attempt is still the latest claim.
func (o *Outbox) Settle(ctx context.Context, id ident.UUID, attempt int, s outbound.Settlement) error {
	ctx, cancel := o.conn.bound(ctx)
	defer cancel()
	changes := map[string]any{"status": string(s.Status), "last_error": s.Error}
	if s.Status == outbound.OutboxPending {
		changes["next_attempt_at"] = dbTime(s.At)
	} else {
		changes["settled_at"] = dbTime(s.At)
	}
	err := o.conn.with(ctx).Model(&outboxRow{}).
		Where("id = ? AND status = ? AND attempts = ?", id.String(), string(outbound.OutboxPending), attempt).
		Updates(changes).Error
	return o.conn.wrap("settle mail", err)
}

// Stats counts the pending and failed messages, and reads when the oldest
// pending one was enqueued (a query of its own: SQLite gives MIN() of a
// DATETIME column back as text).
func (o *Outbox) Stats(ctx context.Context) (outbound.OutboxStats, error) {
	ctx, cancel := o.conn.bound(ctx)
	defer cancel()
	var counts []struct {
		Status string
		N      int
	}
	err := o.conn.with(ctx).Model(&outboxRow{}).Select("status, COUNT(*) AS n").
		Where("status IN ?", []string{string(outbound.OutboxPending), string(outbound.OutboxFailed)}).
		Group("status").Scan(&counts).Error
	if err != nil {
		return outbound.OutboxStats{}, o.conn.wrap("outbox stats", err)
	}
	var out outbound.OutboxStats
	for _, c := range counts {
		switch outbound.OutboxStatus(c.Status) {
		case outbound.OutboxPending:
			out.Pending = c.N
		case outbound.OutboxFailed:
			out.Failed = c.N
		}
	}
	if out.Pending == 0 {
		return out, nil
	}
	var oldest outboxRow
	err = o.conn.with(ctx).Select("created_at").Where("status = ?", string(outbound.OutboxPending)).
		Order("created_at").Take(&oldest).Error
	if err != nil && !isNotFound(err) {
		return outbound.OutboxStats{}, o.conn.wrap("outbox stats", err)
	}
	out.OldestPending = oldest.CreatedAt.UTC()
	return out, nil
}
