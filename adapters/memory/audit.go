package memory

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/ports/outbound"
)

// AuditLog is the in-memory outbound.AuditLog. One handed out by
// Transactor.Within records into the transaction's state, so its events
// roll back with the rest.
type AuditLog struct {
	store *Store
	inTx  bool
}

var (
	_ outbound.AuditLog      = (*AuditLog)(nil)
	_ outbound.AuditImporter = (*AuditLog)(nil)
)

// Record stores e. Like the database adapters it keeps times to the
// microsecond, so that tests see what a database would give back, and
// refuses an id it holds already (an internal error: ids are fresh).
func (l *AuditLog) Record(ctx context.Context, e audit.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return l.store.run(l.inTx, func(st *state) error {
		if _, exists := st.events[e.ID]; exists {
			return fmt.Errorf("memory: audit event %s already exists", e.ID)
		}
		e.At = micros(e.At)
		e.Detail = copyDetail(e.Detail) // the caller keeps its map
		st.events[e.ID] = e
		return nil
	})
}

// Import stores the events whose ids it does not hold yet, all at once.
func (l *AuditLog) Import(ctx context.Context, events []audit.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return l.store.run(l.inTx, func(st *state) error {
		for _, e := range events {
			if _, exists := st.events[e.ID]; exists {
				continue
			}
			e.At = micros(e.At)
			e.Detail = copyDetail(e.Detail)
			st.events[e.ID] = e
		}
		return nil
	})
}

// List returns the events matching q, newest (largest id) first.
func (l *AuditLog) List(ctx context.Context, q outbound.AuditQuery) ([]audit.Event, error) {
	var out []audit.Event
	err := l.store.run(l.inTx, func(st *state) error {
		for _, e := range st.events {
			if (!q.UserID.IsZero() && e.UserID != q.UserID) ||
				(q.Type != "" && e.Type != q.Type) ||
				(!q.Before.IsZero() && e.ID.Compare(q.Before) >= 0) {
				continue
			}
			e.Detail = copyDetail(e.Detail) // the caller may change it
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b audit.Event) int { return b.ID.Compare(a.ID) })
	// A negative limit means none, as LIMIT does in SQL.
	if q.Limit >= 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// copyDetail returns a copy of d that is never nil, as the databases give
// back an empty object for an event recorded without detail.
func copyDetail(d map[string]string) map[string]string {
	if d == nil {
		return map[string]string{}
	}
	return maps.Clone(d)
}

// micros is the form the databases keep a time in: UTC, to the microsecond.
func micros(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
