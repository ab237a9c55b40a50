package e2e

import (
	"context"
	"database/sql"
	"net/url"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// openDB connects to the server's database directly, as an operator would,
// to change or inspect what the API cannot. One connection is enough and
// keeps the test's own backend easy to tell apart from the server's.
func (s *server) openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", s.Config.Database.URL)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// openAdminDB connects to the maintenance database of the same PostgreSQL
// server, for statements that cannot run inside the database they change.
func (s *server) openAdminDB(t testing.TB) *sql.DB {
	t.Helper()
	u := mustParseURL(t, s.Config.Database.URL)
	u.Path = "/postgres"
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatalf("open maintenance database: %v", err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// execSQL runs one statement and returns the number of rows it changed.
func execSQL(t testing.TB, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := db.ExecContext(ctx, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		t.Fatalf("%s: rows affected: %v", query, err)
	}
	return n
}

// execOne runs a statement that must change exactly one row.
func execOne(t testing.TB, db *sql.DB, query string, args ...any) {
	t.Helper()
	if n := execSQL(t, db, query, args...); n != 1 {
		t.Fatalf("%s changed %d rows, want 1", query, n)
	}
}

// queryStrings returns the first column of every row as text.
func queryStrings(t testing.TB, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			t.Fatalf("%s: scan: %v", query, err)
		}
		out = append(out, v.String)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

func mustParseURL(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse URL: %v", err)
	}
	return u
}
