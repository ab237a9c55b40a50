package gormstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// lockWithUser runs UpdateWithUser in a unit of work, as the refresh does.
func lockWithUser(db *gormstore.DB, id session.ID, fn func(*session.Session, *user.User) error) (*session.Session, error) {
	var saved *session.Session
	err := db.Transactor().Within(context.Background(), func(ctx context.Context, r outbound.Repositories) error {
		if r.Locker == nil {
			return errors.New("the SQL store hands out no SessionLocker")
		}
		var err error
		saved, err = r.Locker.UpdateWithUser(ctx, id, fn)
		return err
	})
	return saved, err
}

func TestSessionLockerLocksTheSessionWithItsUser(t *testing.T) {
	for dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := openMigrated(t, dialect)
			ctx := context.Background()
			addUser(t, db)
			uid, _ := user.ParseID("00000000-0000-7000-8000-000000000001")
			sid, _ := session.ParseID("00000000-0000-7000-8000-0000000000aa")
			now := time.Now().UTC().Truncate(time.Second)
			s, err := session.Start(sid, uid, now, session.DefaultPolicy(), "ua", "203.0.113.1")
			must(t, err)
			must(t, db.Sessions().Add(ctx, s))

			saved, err := lockWithUser(db, sid, func(s *session.Session, u *user.User) error {
				if u.ID() != uid || u.Email().String() != "ada@example.com" {
					t.Errorf("user %v %v, want the session's", u.ID(), u.Email())
				}
				_, err := s.Redeem(1, now.Add(time.Second), session.DefaultPolicy())
				return err
			})
			must(t, err)
			stored, err := db.Sessions().Get(ctx, sid)
			must(t, err)
			if saved.Generation() != 2 || stored.Generation() != 2 {
				t.Fatalf("generation saved %d stored %d, want 2", saved.Generation(), stored.Generation())
			}

			boom := errors.New("boom")
			if _, err := lockWithUser(db, sid, func(s *session.Session, _ *user.User) error {
				s.Revoke(now, session.ReasonLogout)
				return boom
			}); !errors.Is(err, boom) {
				t.Fatalf("fn's error: %v", err)
			}
			if stored, _ := db.Sessions().Get(ctx, sid); stored.RevokedAt() != nil {
				t.Fatal("a failed fn's change was written")
			}
			unknown, _ := session.ParseID("00000000-0000-7000-8000-0000000000bb")
			if _, err := lockWithUser(db, unknown, func(*session.Session, *user.User) error { return nil }); !errors.Is(err, session.ErrNotFound) {
				t.Fatalf("unknown session: %v", err)
			}

			// Concurrent locks queue: each sees what the one before saved.
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					_, err := lockWithUser(db, sid, func(s *session.Session, _ *user.User) error {
						_, err := s.Redeem(s.Generation(), now.Add(2*time.Second), session.DefaultPolicy())
						return err
					})
					if err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if stored, _ := db.Sessions().Get(ctx, sid); stored.Generation() != 10 {
				t.Fatalf("generation %d after 8 concurrent rotations from 2, want 10", stored.Generation())
			}
		})
	}
}
