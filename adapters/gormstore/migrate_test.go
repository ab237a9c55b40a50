package gormstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// applied lists the Applied flag of every migration, oldest first.
func applied(t *testing.T, db *gormstore.DB) []bool {
	t.Helper()
	states, err := db.MigrationStatus(context.Background())
	if err != nil {
		t.Fatalf("MigrationStatus: %v", err)
	}
	out := make([]bool, len(states))
	for i, s := range states {
		out[i] = s.Applied
		if s.Applied == s.AppliedAt.IsZero() {
			t.Errorf("%s: applied=%v but AppliedAt=%v", s.Name, s.Applied, s.AppliedAt)
		}
		// Versions rise; numbers may have gaps (each feature owns one). A
		// migration is a SQL file, or Go where SQL cannot do the work.
		if (i > 0 && s.Version <= states[i-1].Version) || !strings.HasPrefix(s.Name, fmt.Sprintf("%05d_", s.Version)) ||
			!(strings.HasSuffix(s.Name, ".sql") || strings.HasSuffix(s.Name, ".go")) {
			t.Errorf("migration %d is version %d named %q", i, s.Version, s.Name)
		}
	}
	return out
}

// wantApplied checks that the oldest n migrations are applied and the rest
// pending; a negative n counts from the newest (-1: all but the last).
func wantApplied(t *testing.T, db *gormstore.DB, n int) {
	t.Helper()
	got := applied(t, db)
	if n < 0 {
		n += len(got)
	}
	for i := range got {
		if got[i] != (i < n) {
			t.Fatalf("applied = %v, want the oldest %d", got, n)
		}
	}
}

// migrationCount is how many migrations this binary has.
func migrationCount(t *testing.T, db *gormstore.DB) int {
	t.Helper()
	return len(applied(t, db))
}

func TestMigrateUpDownUpWithStatusAndReadiness(t *testing.T) {
	for dialect, newURL := range dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := open(t, newURL(t))
			notReady := func(when string) {
				t.Helper()
				if err := db.Ready(ctx); !errors.Is(err, gormstore.ErrPendingMigrations) {
					t.Fatalf("Ready %s: err = %v, want ErrPendingMigrations", when, err)
				}
			}

			notReady("before migrating")
			all := migrationCount(t, db)
			wantApplied(t, db, 0)

			must(t, db.Migrate(ctx, "up"))
			wantApplied(t, db, all)
			must(t, db.Ready(ctx))

			must(t, db.Migrate(ctx, "down"))
			wantApplied(t, db, all-1)
			notReady("after one step down")

			for n := all - 2; n >= 0; n-- {
				must(t, db.Migrate(ctx, "down"))
				wantApplied(t, db, n)
			}
			if err := db.Migrate(ctx, "down"); err == nil {
				t.Fatal("Migrate down with nothing applied succeeded")
			}

			// Up again only works if every Down removed what its Up made.
			must(t, db.Migrate(ctx, "up"))
			wantApplied(t, db, all)
			must(t, db.Ready(ctx))
			must(t, db.Migrate(ctx, "up")) // nothing pending: a no-op
			u := addUser(t, db)
			recordEvent(t, db)
			issueAndMail(t, db, u)
		})
	}
}

func TestMigrateRejectsUnknownDirection(t *testing.T) {
	db := open(t, dialects["sqlite"](t))
	if err := db.Migrate(context.Background(), "sideways"); err == nil {
		t.Fatal(`Migrate("sideways") succeeded`)
	}
	wantApplied(t, db, 0)
}

func TestMigrationStateString(t *testing.T) {
	at := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, tc := range []struct {
		state gormstore.MigrationState
		want  string
	}{
		{gormstore.MigrationState{Version: 1, Name: "00001_users.sql", Applied: true, AppliedAt: at}, "00001_users.sql              applied 2031-03-04T05:06:07Z"},
		{gormstore.MigrationState{Version: 2, Name: "00002_sessions.sql"}, "00002_sessions.sql           pending"},
	} {
		if got := tc.state.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

// addUser stores a user, proving the schema is usable.
func addUser(t *testing.T, db *gormstore.DB) *user.User {
	t.Helper()
	email, _ := user.ParseEmail("ada@example.com")
	name, _ := user.ParseFullName("Ada Lovelace")
	hash, _ := user.NewPasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
	id, err := user.ParseID("00000000-0000-7000-8000-000000000001")
	must(t, err)
	u, err := user.Register(id, email, name, hash, time.Now())
	must(t, err)
	must(t, db.Users().Add(context.Background(), u))
	return u
}

// recordEvent stores an audit event, proving the audit table is usable.
func recordEvent(t *testing.T, db *gormstore.DB) {
	t.Helper()
	id, err := audit.ParseID("00000000-0000-7000-8000-000000000001")
	must(t, err)
	e := audit.Event{ID: id, Type: audit.Signup, At: time.Now()}
	must(t, db.Audit().Record(context.Background(), e))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// issueAndMail stores a one-time secret of u and a message in the outbox,
// proving migration 6 is usable.
func issueAndMail(t *testing.T, db *gormstore.DB, u *user.User) {
	t.Helper()
	ctx := context.Background()
	h, err := onetime.NewHasher([]byte(strings.Repeat("k", 32)))
	must(t, err)
	sid, err := onetime.ParseID("00000000-0000-7000-8000-000000000002")
	must(t, err)
	is, err := onetime.Issue(h, sid, u.ID(), onetime.VerifyEmail, u.Email(), time.Now(), time.Hour)
	must(t, err)
	must(t, db.Secrets().Add(ctx, is.Secret))
	mid, err := ident.Parse("00000000-0000-7000-8000-000000000003")
	must(t, err)
	must(t, db.Outbox().Enqueue(ctx, outbound.OutboxMessage{
		ID: mid, Purpose: outbound.MailVerifyEmail, To: u.Email().String(), Payload: []byte{1}, CreatedAt: time.Now(),
	}))
}
