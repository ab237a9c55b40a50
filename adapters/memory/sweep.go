package memory

import (
	"context"
	"slices"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/outbound"
)

// SessionSweeper deletes ended sessions as the SQL store's does: expired
// ones at once, revoked ones after the retention.
type SessionSweeper struct {
	store     *Store
	retention time.Duration
}

var _ outbound.Sweeper = (*SessionSweeper)(nil)

// SessionSweeper returns the store's sweeper of ended sessions.
func (s *Store) SessionSweeper(retention time.Duration) *SessionSweeper {
	return &SessionSweeper{store: s, retention: retention}
}

// Name implements outbound.Sweeper.
func (*SessionSweeper) Name() string { return "sessions" }

// Sweep deletes at most limit ended sessions.
func (s *SessionSweeper) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	t, cutoff := micros(now), micros(now.Add(-s.retention))
	n := 0
	err := s.store.run(false, func(st *state) error {
		for _, id := range sortedKeys(st.sessions, func(a, b session.ID) int { return ident.UUID(a).Compare(ident.UUID(b)) }) {
			if n == limit {
				break
			}
			sn := st.sessions[id]
			// The idle deadline is capped by the absolute one.
			// Compared to the microsecond, as the databases do.
			expired := sn.RevokedAt == nil && !t.Before(micros(sn.IdleExpiresAt))
			if expired || (sn.RevokedAt != nil && micros(*sn.RevokedAt).Before(cutoff)) {
				delete(st.sessions, id)
				n++
			}
		}
		return nil
	})
	return n, err
}

// AuditSweeper deletes audit events older than the retention.
type AuditSweeper struct {
	store     *Store
	retention time.Duration
}

var _ outbound.Sweeper = (*AuditSweeper)(nil)

// AuditSweeper returns the store's sweeper of old audit events.
func (s *Store) AuditSweeper(retention time.Duration) *AuditSweeper {
	return &AuditSweeper{store: s, retention: retention}
}

// Name implements outbound.Sweeper.
func (*AuditSweeper) Name() string { return "audit_events" }

// Sweep deletes at most limit of the oldest expired events.
func (s *AuditSweeper) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	cutoff := micros(now.Add(-s.retention))
	n := 0
	err := s.store.run(false, func(st *state) error {
		for _, id := range sortedKeys(st.events, audit.ID.Compare) { // ids sort by time
			if n == limit {
				break
			}
			if st.events[id].At.Before(cutoff) {
				delete(st.events, id)
				n++
			}
		}
		return nil
	})
	return n, err
}

// sortedKeys returns the keys of m in order, so sweeps are deterministic.
func sortedKeys[K comparable, V any](m map[K]V, compare func(a, b K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compare)
	return keys
}
