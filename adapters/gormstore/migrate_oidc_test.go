package gormstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// Migration 00007 makes the password optional (on SQLite by rebuilding the
// users table) and adds the sign-in tables. Its Up must keep every user and
// everything that references one (a rebuild with foreign keys on would
// cascade the old table's drop into sessions); its Down must keep the
// accounts with a password and theirs, and drop the passwordless ones,
// which the old schema cannot hold.
func TestMigrationOIDCKeepsAccountsBothWays(t *testing.T) {
	for dialect, newURL := range dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := open(t, newURL(t))
			must(t, db.Migrate(ctx, "up"))
			now := time.Now()

			withPassword := storedUser(t, db, "00000000-0000-7000-8000-000000000001", "ada@example.com", true, now)
			adaSession := storedSession(t, db, withPassword, "00000000-0000-7000-8000-000000000011", now)
			passwordless := storedUser(t, db, "00000000-0000-7000-8000-000000000002", "bob@example.com", false, now)
			bobSession := storedSession(t, db, passwordless, "00000000-0000-7000-8000-000000000012", now)
			linked, err := identity.Link(identity.ID(mustUUID(t, "00000000-0000-7000-8000-000000000021")), passwordless.ID(),
				identity.Claims{Provider: "google", Subject: "bob-sub", Email: "bob@example.com"}, now)
			must(t, err)
			must(t, db.Identities().Add(ctx, linked))

			must(t, db.Migrate(ctx, "down"))
			wantApplied(t, db, -1)
			if got, err := db.Users().Get(ctx, withPassword.ID()); err != nil || got.PasswordHash() != withPassword.PasswordHash() {
				t.Fatalf("down: the account with a password: %v", err)
			}
			if _, err := db.Sessions().Get(ctx, adaSession.ID()); err != nil {
				t.Fatalf("down: the session of a kept account went: %v", err)
			}
			if _, err := db.Users().Get(ctx, passwordless.ID()); !errors.Is(err, user.ErrNotFound) {
				t.Fatalf("down: the passwordless account survived (err = %v)", err)
			}
			if _, err := db.Sessions().Get(ctx, bobSession.ID()); !errors.Is(err, session.ErrNotFound) {
				t.Fatalf("down: a dropped account's session survived (err = %v)", err)
			}

			must(t, db.Migrate(ctx, "up"))
			if _, err := db.Sessions().Get(ctx, adaSession.ID()); err != nil {
				t.Fatalf("up again: the rebuild lost a session: %v", err)
			}
			// The schema takes passwordless accounts and identities again,
			// and foreign keys are still enforced.
			again := storedUser(t, db, "00000000-0000-7000-8000-000000000003", "cy@example.com", false, now)
			got, err := db.Users().Get(ctx, again.ID())
			if err != nil || got.HasPassword() {
				t.Fatalf("up again: passwordless account: %v", err)
			}
			orphan, err := identity.Link(identity.ID(mustUUID(t, "00000000-0000-7000-8000-000000000022")),
				user.ID(mustUUID(t, "00000000-0000-7000-8000-0000000000ff")), identity.Claims{Provider: "google", Subject: "x"}, now)
			must(t, err)
			if err := db.Identities().Add(ctx, orphan); err == nil {
				t.Fatal("up again: an identity of no user was stored: foreign keys are off")
			}
		})
	}
}

func storedUser(t *testing.T, db *gormstore.DB, id, email string, withPassword bool, now time.Time) *user.User {
	t.Helper()
	e, _ := user.ParseEmail(email)
	name, _ := user.ParseFullName("Someone")
	uid := user.ID(mustUUID(t, id))
	var u *user.User
	var err error
	if withPassword {
		hash, _ := user.NewPasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
		u, err = user.Register(uid, e, name, hash, now)
	} else {
		u, err = user.RegisterExternal(uid, e, name, true, now)
	}
	must(t, err)
	must(t, db.Users().Add(context.Background(), u))
	return u
}

func storedSession(t *testing.T, db *gormstore.DB, u *user.User, id string, now time.Time) *session.Session {
	t.Helper()
	s, err := session.Start(session.ID(mustUUID(t, id)), u.ID(), now, session.Policy{IdleTimeout: time.Hour, MaxLifetime: 2 * time.Hour}, "ua", "203.0.113.1")
	must(t, err)
	must(t, db.Sessions().Add(context.Background(), s))
	return s
}

func mustUUID(t *testing.T, s string) ident.UUID {
	t.Helper()
	u, err := ident.Parse(s)
	must(t, err)
	return u
}
