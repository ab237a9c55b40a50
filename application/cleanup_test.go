package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/application"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// countingSweeper has left rows to delete and records each batch.
type countingSweeper struct {
	name    string
	left    int
	fail    error
	batches []int
	nows    []time.Time
}

func (s *countingSweeper) Name() string { return s.name }

func (s *countingSweeper) Sweep(_ context.Context, now time.Time, limit int) (int, error) {
	s.nows = append(s.nows, now)
	if s.fail != nil {
		return 0, s.fail
	}
	n := min(limit, s.left)
	s.left -= n
	s.batches = append(s.batches, n)
	return n, nil
}

func TestCleanupRunsEverySweeperInBatches(t *testing.T) {
	clock := system.NewManualClock(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC))
	sessions := &countingSweeper{name: "sessions", left: 7}
	broken := &countingSweeper{name: "outbox", fail: errors.New("table locked")}
	audit := &countingSweeper{name: "audit_events", left: 3}
	uc := application.NewCleanup([]outbound.Sweeper{sessions, broken, audit}, clock, application.CleanupRules{BatchSize: 3})

	report, err := uc.Handle(context.Background(), inbound.CleanupCommand{})
	if !errors.Is(err, broken.fail) {
		t.Errorf("err = %v, want the failing sweeper's error", err)
	}
	if report["sessions"] != 7 || report["audit_events"] != 3 || report["outbox"] != 0 {
		t.Errorf("report %v", report)
	}
	// Batches until one comes back short; a full last batch asks once more.
	if got := sessions.batches; len(got) != 3 || got[0] != 3 || got[1] != 3 || got[2] != 1 {
		t.Errorf("session batches %v, want [3 3 1]", got)
	}
	if got := audit.batches; len(got) != 2 || got[0] != 3 || got[1] != 0 {
		t.Errorf("audit batches %v, want [3 0]", got)
	}
	for _, now := range append(sessions.nows, audit.nows...) {
		if !now.Equal(clock.Now()) {
			t.Errorf("swept at %v, want the run's one now %v", now, clock.Now())
		}
	}
}
