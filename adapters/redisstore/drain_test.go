package redisstore_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd/authd/adapters/compose"
	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/adapters/redisstore"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/redistest"
)

// flakyImporter fails every failEvery-th import (0: never) and counts the
// events it passed on.
type flakyImporter struct {
	outbound.AuditImporter
	failEvery int64
	calls     atomic.Int64
	down      atomic.Bool
}

var errImportDown = errors.New("the audit log is down")

func (f *flakyImporter) Import(ctx context.Context, events []audit.Event) error {
	n := f.calls.Add(1)
	if f.down.Load() || (f.failEvery > 0 && n%f.failEvery == 0) {
		return errImportDown
	}
	return f.AuditImporter.Import(ctx, events)
}

// While the audit log refuses imports, committed events wait in the stream;
// Drain moves them once it accepts them again, and a second Drain finds
// nothing.
func TestEventsWaitInTheStreamUntilTheAuditLogTakesThem(t *testing.T) {
	f := newFixture(t)
	importer := &flakyImporter{AuditImporter: f.audit}
	importer.down.Store(true)
	store := openStore(t, redistest.NewURL(t), importer)
	owner := f.newUserID()
	var want []audit.ID
	for range 3 {
		s := f.start(owner, time.Now(), policy)
		unit, err := store.Begin(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := unit.Sessions().Add(f.ctx, s); err != nil {
			t.Fatal(err)
		}
		e := audit.Event{ID: audit.ID(f.ids.NewID()), Type: audit.LoginSucceeded, UserID: owner, SessionID: s.ID(), At: time.Now()}
		if err := unit.Commit(f.ctx, []audit.Event{e}); err != nil {
			t.Fatalf("a commit failed because the audit log is down: %v", err)
		}
		want = append(want, e.ID)
	}
	if n, err := store.Pending(f.ctx); err != nil || n != 3 {
		t.Fatalf("%d events wait in the stream (err %v), want 3", n, err)
	}
	if _, err := store.Drain(f.ctx); !errors.Is(err, errImportDown) {
		t.Fatalf("Drain with the audit log down: err = %v", err)
	}
	if n, _ := store.Pending(f.ctx); n != 3 {
		t.Fatalf("a failed drain removed events from the stream: %d left, want 3", n)
	}

	importer.down.Store(false)
	if moved, err := store.Drain(f.ctx); err != nil || moved != 3 {
		t.Fatalf("Drain moved %d (err %v), want 3", moved, err)
	}
	if moved, err := store.Drain(f.ctx); err != nil || moved != 0 {
		t.Fatalf("a second Drain moved %d (err %v), want 0", moved, err)
	}
	got, err := f.audit.List(f.ctx, outbound.AuditQuery{Limit: 10})
	if err != nil || len(got) != 3 || got[0].ID != want[2] || got[2].ID != want[0] {
		t.Fatalf("audit log holds %v (err %v), want the three events", got, err)
	}
}

// Many units on two instances sharing one Redis, a third of them racing to
// refresh one session, with an audit log that fails every third import and
// a drainer running on each instance: every event of a committed unit
// arrives in the SQL table exactly once, nothing else arrives, and the
// stream ends empty.
func TestEveryCommittedEventArrivesInSQLExactlyOnce(t *testing.T) {
	db := openSQL(t, "postgres")
	url := redistest.NewURL(t)
	ctx := t.Context()
	type instance struct {
		importer *flakyImporter
		store    *redisstore.SessionStore
		tx       compose.Transactor
	}
	drainCtx, stopDrainers := context.WithCancel(ctx)
	defer stopDrainers()
	var drainers sync.WaitGroup
	instances := make([]instance, 2)
	for i := range instances {
		importer := &flakyImporter{AuditImporter: db.Audit(), failEvery: 3}
		store := openStore(t, url, importer)
		instances[i] = instance{importer, store, compose.Transactor{Main: db.Transactor(), Sessions: store}}
		drainers.Go(func() { store.RunDrainer(drainCtx, 5*time.Millisecond) })
	}
	ids := &memory.IDs{}
	owner := user.ID(ids.NewID())
	newSession := func() *session.Session {
		s, err := session.Start(session.ID(ids.NewID()), owner, time.Now(), policy, "ua", "ip")
		if err != nil {
			t.Error(err)
		}
		return s
	}
	shared := newSession()
	if err := instances[0].store.Sessions().Add(ctx, shared); err != nil {
		t.Fatal(err)
	}

	const units = 60
	var (
		mu        sync.Mutex
		committed = map[audit.ID]bool{}
		wg        sync.WaitGroup
	)
	for i := range units {
		wg.Go(func() {
			var last audit.ID
			err := instances[i%2].tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
				target := shared.ID()
				if i%3 != 0 { // two in three units refresh a session of their own
					s := newSession()
					if err := r.Sessions.Add(ctx, s); err != nil {
						return err
					}
					target = s.ID()
				}
				if _, err := r.Sessions.Update(ctx, target, func(s *session.Session) error {
					_, err := s.Redeem(1, time.Now(), policy)
					return err
				}); err != nil {
					return err
				}
				last = audit.ID(ids.NewID())
				return r.Audit.Record(ctx, audit.Event{ID: last, Type: audit.Refreshed, UserID: owner, SessionID: target, At: time.Now()})
			})
			if err != nil {
				t.Errorf("unit %d: %v", i, err)
				return
			}
			mu.Lock()
			committed[last] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	stopDrainers()
	drainers.Wait()
	for _, in := range instances {
		in.importer.failEvery = 0
		if _, err := in.store.Drain(ctx); err != nil {
			t.Fatalf("final drain: %v", err)
		}
	}
	if n, err := instances[0].store.Pending(ctx); err != nil || n != 0 {
		t.Fatalf("%d events left in the stream (err %v), want 0", n, err)
	}

	got, err := db.Audit().List(ctx, outbound.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[audit.ID]int{}
	for _, e := range got {
		seen[e.ID]++
	}
	if len(committed) != units {
		t.Fatalf("%d units committed, want %d", len(committed), units)
	}
	for id := range committed {
		if seen[id] != 1 {
			t.Errorf("event %s of a committed unit is in the table %d times, want 1", id, seen[id])
		}
	}
	for id := range seen {
		if !committed[id] {
			t.Errorf("event %s, of no committed unit, is in the table", id)
		}
	}
	failed := instances[0].importer.calls.Load() + instances[1].importer.calls.Load()
	t.Logf("%d events, %d imports tried (a third of them failed)", len(got), failed)
}
