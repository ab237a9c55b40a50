package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/ports/outbound"
)

// outboxEntry is one stored message with its delivery state.
type outboxEntry struct {
	msg         outbound.OutboxMessage
	status      outbound.OutboxStatus
	nextAttempt time.Time
	settledAt   time.Time
	lastError   string
}

// Outbox is the in-memory outbound.Outbox. Its lock makes claims
// exclusive, as SKIP LOCKED does for several processes on PostgreSQL.
type Outbox struct {
	store *Store
	inTx  bool
}

var _ outbound.Outbox = (*Outbox)(nil)

// Enqueue stores a pending message, due at once.
func (o *Outbox) Enqueue(ctx context.Context, m outbound.OutboxMessage) error {
	return o.store.run(o.inTx, func(st *state) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, exists := st.outbox[m.ID]; exists {
			return fmt.Errorf("memory: outbox message %s already exists", m.ID)
		}
		m.CreatedAt = micros(m.CreatedAt)
		m.Attempt = 0
		m.Payload = append([]byte(nil), m.Payload...)
		st.outbox[m.ID] = outboxEntry{msg: m, status: outbound.OutboxPending, nextAttempt: m.CreatedAt}
		return nil
	})
}

// EnqueueClaimed stores a message claimed by the caller until leaseUntil.
func (o *Outbox) EnqueueClaimed(ctx context.Context, m outbound.OutboxMessage, leaseUntil time.Time) error {
	return o.store.run(o.inTx, func(st *state) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, exists := st.outbox[m.ID]; exists {
			return fmt.Errorf("memory: outbox message %s already exists", m.ID)
		}
		m.CreatedAt = micros(m.CreatedAt)
		m.Attempt = 1
		m.Payload = append([]byte(nil), m.Payload...)
		st.outbox[m.ID] = outboxEntry{msg: m, status: outbound.OutboxPending, nextAttempt: micros(leaseUntil)}
		return nil
	})
}

// Claim takes the due messages, oldest due first.
func (o *Outbox) Claim(ctx context.Context, c outbound.OutboxClaim) ([]outbound.OutboxMessage, error) {
	var out []outbound.OutboxMessage
	err := o.store.run(o.inTx, func(st *state) error {
		now := micros(c.Now)
		var due []outboxEntry
		for id, e := range st.outbox {
			if e.status != outbound.OutboxPending || e.nextAttempt.After(now) {
				continue
			}
			if e.msg.Attempt >= c.MaxAttempts {
				// Its last claimer died: it may have been sent already.
				e.status, e.settledAt, e.lastError = outbound.OutboxFailed, now, "no attempt left after an unsettled claim"
				st.outbox[id] = e
				continue
			}
			due = append(due, e)
		}
		slices.SortFunc(due, func(a, b outboxEntry) int {
			return cmp.Or(a.nextAttempt.Compare(b.nextAttempt), a.msg.ID.Compare(b.msg.ID))
		})
		for _, e := range due[:min(len(due), max(c.Limit, 0))] {
			e.msg.Attempt++
			e.nextAttempt = micros(c.LeaseUntil)
			st.outbox[e.msg.ID] = e
			m := e.msg
			m.Payload = append([]byte(nil), m.Payload...)
			out = append(out, m)
		}
		slices.SortFunc(out, func(a, b outbound.OutboxMessage) int {
			return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), a.ID.Compare(b.ID))
		})
		return ctx.Err()
	})
	return out, err
}

// Settle records an attempt's outcome if the attempt is the latest claim.
func (o *Outbox) Settle(ctx context.Context, id ident.UUID, attempt int, s outbound.Settlement) error {
	return o.store.run(o.inTx, func(st *state) error {
		e, ok := st.outbox[id]
		if !ok || e.status != outbound.OutboxPending || e.msg.Attempt != attempt {
			return ctx.Err()
		}
		e.status, e.lastError = s.Status, s.Error
		if s.Status == outbound.OutboxPending {
			e.nextAttempt = micros(s.At)
		} else {
			e.settledAt = micros(s.At)
		}
		st.outbox[id] = e
		return ctx.Err()
	})
}

// Stats counts the pending and failed messages.
func (o *Outbox) Stats(ctx context.Context) (outbound.OutboxStats, error) {
	var out outbound.OutboxStats
	err := o.store.run(o.inTx, func(st *state) error {
		for _, e := range st.outbox {
			switch e.status {
			case outbound.OutboxPending:
				out.Pending++
				if out.OldestPending.IsZero() || e.msg.CreatedAt.Before(out.OldestPending) {
					out.OldestPending = e.msg.CreatedAt
				}
			case outbound.OutboxFailed:
				out.Failed++
			}
		}
		return ctx.Err()
	})
	return out, err
}

// OutboxSweeper deletes delivered messages.
type OutboxSweeper struct{ store *Store }

var _ outbound.Sweeper = OutboxSweeper{}

// OutboxSweeper returns the sweeper of the store's outbox.
func (s *Store) OutboxSweeper() OutboxSweeper { return OutboxSweeper{store: s} }

// Name is "outbox".
func (OutboxSweeper) Name() string { return "outbox" }

// Sweep deletes up to limit messages sent before now; failed ones stay.
func (w OutboxSweeper) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	n := 0
	err := w.store.run(false, func(st *state) error {
		for id, e := range st.outbox {
			if n >= limit {
				break
			}
			if e.status == outbound.OutboxSent && e.settledAt.Before(now) {
				delete(st.outbox, id)
				n++
			}
		}
		return ctx.Err()
	})
	return n, err
}

func identUUID(id onetime.ID) ident.UUID { return ident.UUID(id) }
