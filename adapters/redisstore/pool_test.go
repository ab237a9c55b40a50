package redisstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/adapters/compose"
	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/redistest"
)

// Far more units than database connections (20) and Redis connections (4),
// each holding a database transaction while it waits for Redis, then
// handing its events to the database: none may wait for the database while
// holding a Redis connection, or the two pools deadlock until the calls
// time out and the units fail as unavailable.
func TestManyUnitsDoNotDeadlockTheTwoPools(t *testing.T) {
	db := openSQL(t, "postgres")
	store := openStore(t, redistest.NewURL(t)+"?pool_size=4", db.Audit())
	tx := compose.Transactor{Main: db.Transactor(), Sessions: store}
	ids := &memory.IDs{}
	owner := user.ID(ids.NewID())
	ctx := t.Context()

	const units = 80
	var wg sync.WaitGroup
	for i := range units {
		wg.Go(func() {
			s, err := session.Start(session.ID(ids.NewID()), owner, time.Now(), policy, "ua", "ip")
			if err != nil {
				t.Error(err)
				return
			}
			if err := store.Sessions().Add(ctx, s); err != nil {
				t.Errorf("unit %d: add: %v", i, err)
				return
			}
			err = tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
				if _, err := r.Sessions.Update(ctx, s.ID(), func(s *session.Session) error {
					_, err := s.Redeem(1, time.Now(), policy)
					return err
				}); err != nil {
					return err
				}
				return r.Audit.Record(ctx, audit.Event{ID: audit.ID(ids.NewID()), Type: audit.Refreshed, UserID: owner, SessionID: s.ID(), At: time.Now()})
			})
			if err != nil {
				t.Errorf("unit %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	got, err := db.Audit().List(ctx, outbound.AuditQuery{Limit: 1000})
	if err != nil || len(got) != units {
		t.Fatalf("%d events in the audit table (err %v), want %d", len(got), err, units)
	}
}
