package gormstore_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/domain/validation"
)

// fakeNormalizer stands in for the IDNA adapter: it knows the forms the
// test stores.
type fakeNormalizer map[string]string

func (f fakeNormalizer) Normalize(raw string) (string, error) {
	if n, ok := f[raw]; ok {
		if n == "" {
			return "", validation.Invalid("email", "look-alike")
		}
		return n, nil
	}
	return raw, nil
}

// Migration 4 rewrites the emails stored before it into the normal form;
// when two accounts fold to one mailbox the older keeps it, and an address
// now refused stays as it was.
func TestMigration4NormalisesStoredEmails(t *testing.T) {
	for dialect, newURL := range dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := newURL(t)
			// The schema of version 3: all the way up, then down to it.
			old := open(t, url)
			must(t, old.Migrate(ctx, "up"))
			downTo(t, old, 3)
			raw := rawDB(t, dialect, url)
			insert := `INSERT INTO users (id, email, full_name, role, password_hash, created_at, updated_at)
				VALUES ($1, $2, 'X', 'user', 'h', $3, $4)`
			if dialect == "sqlite" {
				insert = `INSERT INTO users (id, email, full_name, role, password_hash, created_at, updated_at)
				VALUES (?, ?, 'X', 'user', 'h', ?, ?)`
			}
			rows := []struct{ id, email, at string }{
				{"00000000-0000-7000-8000-000000000001", "idn@bücher.example", "2030-01-01 00:00:00"},
				{"00000000-0000-7000-8000-000000000002", "ｉｄｎ@bücher.example", "2030-01-02 00:00:00"},
				{"00000000-0000-7000-8000-000000000003", "аda@example.com", "2030-01-03 00:00:00"},
				{"00000000-0000-7000-8000-000000000004", "plain@example.com", "2030-01-04 00:00:00"},
			}
			for _, r := range rows {
				if _, err := raw.ExecContext(ctx, insert, r.id, r.email, r.at, r.at); err != nil {
					t.Fatal(err)
				}
			}
			settings := gormstore.DefaultSettings()
			settings.Emails = fakeNormalizer{
				"idn@bücher.example": "idn@xn--bcher-kva.example",
				"ｉｄｎ@bücher.example": "idn@xn--bcher-kva.example",
				"аda@example.com":    "",
			}
			db, err := gormstore.OpenWith(ctx, url, settings)
			must(t, err)
			t.Cleanup(func() { _ = db.Close() })
			must(t, db.Migrate(ctx, "up"))
			want := map[string]string{
				rows[0].id: "idn@xn--bcher-kva.example", // normalised
				rows[1].id: rows[1].email,               // the same mailbox as the older account: left
				rows[2].id: rows[2].email,               // refused now: left
				rows[3].id: rows[3].email,
			}
			for id, email := range want {
				var got string
				q := "SELECT email FROM users WHERE id = $1"
				if dialect == "sqlite" {
					q = "SELECT email FROM users WHERE id = ?"
				}
				if err := raw.QueryRowContext(ctx, q, id).Scan(&got); err != nil || got != email {
					t.Errorf("user %s: email %q (%v), want %q", id, got, err, email)
				}
			}
		})
	}
}

// downTo rolls db back until version is the newest migration applied.
func downTo(t *testing.T, db *gormstore.DB, version int64) {
	t.Helper()
	ctx := context.Background()
	for {
		states, err := db.MigrationStatus(ctx)
		must(t, err)
		newest := int64(0)
		for _, s := range states {
			if s.Applied {
				newest = s.Version
			}
		}
		if newest <= version {
			return
		}
		must(t, db.Migrate(ctx, "down"))
	}
}

func rawDB(t *testing.T, dialect, url string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", url
	if dialect == "sqlite" {
		driver, dsn = "sqlite", strings.TrimPrefix(url, "sqlite://")
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
