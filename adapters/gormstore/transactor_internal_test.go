package gormstore

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/pgtest"
)

// sqlRecorder is a GORM logger that keeps the text of every statement run
// through it (SAVEPOINT and its kin included: GORM runs them as statements).
type sqlRecorder struct {
	mu    sync.Mutex
	stmts []string
}

func (r *sqlRecorder) LogMode(logger.LogLevel) logger.Interface { return r }
func (r *sqlRecorder) Info(context.Context, string, ...any)     {}
func (r *sqlRecorder) Warn(context.Context, string, ...any)     {}
func (r *sqlRecorder) Error(context.Context, string, ...any)    {}

func (r *sqlRecorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stmts = append(r.stmts, sql)
}

// take returns the statements recorded so far and forgets them.
func (r *sqlRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.stmts
	r.stmts = nil
	return out
}

// savepoints returns the statements that open, release or roll back to a
// savepoint: the marks of a nested transaction.
func savepoints(stmts []string) []string {
	var out []string
	for _, s := range stmts {
		if strings.Contains(strings.ToUpper(s), "SAVEPOINT") {
			out = append(out, s)
		}
	}
	return out
}

// has reports whether a statement contains every one of parts.
func has(stmts []string, parts ...string) bool {
	return slices.ContainsFunc(stmts, func(s string) bool {
		for _, p := range parts {
			if !strings.Contains(s, p) {
				return false
			}
		}
		return true
	})
}

// openMigratedDB opens a fresh, migrated database of the dialect.
func openMigratedDB(t *testing.T, d dialect) *DB {
	t.Helper()
	url := "sqlite://" + filepath.Join(t.TempDir(), "authd.db")
	if d == dialectPostgres {
		url = pgtest.NewDatabaseURL(t)
	}
	db, err := Open(context.Background(), url, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background(), "up"); err != nil {
		t.Fatal(err)
	}
	return db
}

// An Update inside Transactor.Within runs in Within's transaction itself,
// not in a nested one (a SAVEPOINT): an error from its function, returned
// from fn, rolls back the whole unit of work, a user change made earlier
// in it included, and the Updates still lock what they change.
func TestUpdateInsideWithinOpensNoNestedTransaction(t *testing.T) {
	for _, d := range []dialect{dialectSQLite, dialectPostgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			db := openMigratedDB(t, d)
			t0 := time.Date(2031, time.March, 4, 5, 6, 7, 0, time.UTC)
			later := t0.Add(time.Minute)
			u, s := newUserAndSession(t, t0)
			if err := db.Users().Add(ctx, u); err != nil {
				t.Fatal(err)
			}
			if err := db.Sessions().Add(ctx, s); err != nil {
				t.Fatal(err)
			}

			rec := &sqlRecorder{}
			recorded := conn{db: db.gorm.Session(&gorm.Session{Logger: rec}), dialect: d}
			boom := errors.New("boom")
			updateSession := func(ctx context.Context, sessions outbound.SessionRepository) error {
				_, err := sessions.Update(ctx, s.ID(), func(s *session.Session) error {
					s.Revoke(later, session.ReasonAdmin)
					return boom
				})
				return err
			}
			err := (&Transactor{conn: recorded}).Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
				if _, err := r.Users.Update(ctx, u.ID(), func(u *user.User) error {
					u.ChangeRole(user.RoleAdmin, later)
					return nil
				}); err != nil {
					return err
				}
				return updateSession(ctx, r.Sessions)
			})
			if !errors.Is(err, boom) {
				t.Fatalf("Within err = %v, want the session Update's fn error", err)
			}
			stmts := rec.take()
			if !has(stmts, "UPDATE", "users", "role") || !has(stmts, "SELECT", "sessions") {
				t.Fatalf("the recorder missed the unit's statements: %q", stmts)
			}
			if sp := savepoints(stmts); len(sp) > 0 {
				t.Errorf("Updates inside Within opened nested transactions: %q", sp)
			}
			if d == dialectPostgres && (!has(stmts, "users", "FOR NO KEY UPDATE") || !has(stmts, "sessions", "FOR UPDATE")) {
				t.Errorf("the Updates inside Within no longer lock their rows: %q", stmts)
			}

			got, err := db.Users().Get(ctx, u.ID())
			if err != nil {
				t.Fatal(err)
			}
			if got.Role() != user.RoleUser || !got.UpdatedAt().Equal(t0) {
				t.Errorf("the user change of the failed unit was committed: role %s, updated %v", got.Role(), got.UpdatedAt())
			}
			gotSession, err := db.Sessions().Get(ctx, s.ID())
			if err != nil {
				t.Fatal(err)
			}
			if gotSession.RevokedAt() != nil {
				t.Errorf("the session change whose fn failed was saved: revoked at %v", gotSession.RevokedAt())
			}

			// Control: a repository that does not know it is inside a
			// transaction (what Within handed out before) nests one, and
			// the recorder sees it.
			err = recorded.with(ctx).Transaction(func(tx *gorm.DB) error {
				return updateSession(ctx, &SessionRepository{conn: conn{db: tx, dialect: d}})
			})
			if !errors.Is(err, boom) {
				t.Fatalf("control: err = %v, want the session Update's fn error", err)
			}
			if sp := savepoints(rec.take()); len(sp) == 0 {
				t.Fatal("control: a nested Update issued no SAVEPOINT the recorder saw")
			}
		})
	}
}

func newUserAndSession(t *testing.T, at time.Time) (*user.User, *session.Session) {
	t.Helper()
	email, err := user.ParseEmail("ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	name, err := user.ParseFullName("Ada Lovelace")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := user.NewPasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo")
	if err != nil {
		t.Fatal(err)
	}
	userID, err := user.ParseID("00000000-0000-7000-8000-000000000001")
	if err != nil {
		t.Fatal(err)
	}
	u, err := user.Register(userID, email, name, hash, at)
	if err != nil {
		t.Fatal(err)
	}
	sessionID, err := session.ParseID("00000000-0000-7000-8000-000000000002")
	if err != nil {
		t.Fatal(err)
	}
	policy := session.Policy{IdleTimeout: time.Hour, MaxLifetime: 10 * time.Hour, ReuseGrace: 10 * time.Second}
	s, err := session.Start(sessionID, userID, at, policy, "Mozilla/5.0", "203.0.113.7")
	if err != nil {
		t.Fatal(err)
	}
	return u, s
}
