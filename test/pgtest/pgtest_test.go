package pgtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func open(t *testing.T, rawURL string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestNewDatabaseURLGivesAnEmptyWritableDatabase(t *testing.T) {
	db := open(t, NewDatabaseURL(t))
	ctx := context.Background()
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("new database has %d tables, want 0", tables)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (x int); INSERT INTO t VALUES (1)`); err != nil {
		t.Fatalf("database is not writable: %v", err)
	}
}

func TestNewDatabaseURLIsUniqueAndDroppedAfterTheTest(t *testing.T) {
	var first, second string
	t.Run("inner", func(t *testing.T) {
		first, second = NewDatabaseURL(t), NewDatabaseURL(t)
		// A connection left open must not keep the database alive.
		db := open(t, first)
		if err := db.PingContext(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	if first == second {
		t.Fatalf("two calls returned the same URL %s", first)
	}
	admin := open(t, srv.base.String())
	for _, raw := range []string{first, second} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(u.Path, "/")
		var n int
		if err := admin.QueryRowContext(context.Background(), `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("database %s still exists after its test ended", name)
		}
	}
}

func TestThrowawayServerListensOnLoopbackOnly(t *testing.T) {
	if os.Getenv(EnvDatabaseURL) != "" {
		t.Log("using an external server: nothing to check about the throwaway one")
		return
	}
	db := open(t, NewDatabaseURL(t))
	var listen, fsync string
	ctx := context.Background()
	if err := db.QueryRowContext(ctx, `SELECT current_setting('listen_addresses'), current_setting('fsync')`).Scan(&listen, &fsync); err != nil {
		t.Fatal(err)
	}
	if listen != "127.0.0.1" || fsync != "off" {
		t.Fatalf("listen_addresses=%q fsync=%q, want 127.0.0.1 and off", listen, fsync)
	}
}

func TestNewestFirstOrdersByVersion(t *testing.T) {
	root := t.TempDir()
	for _, v := range []string{"9.6", "15", "16", "10"} {
		if err := os.MkdirAll(filepath.Join(root, "postgresql", v, "bin"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	got := newestFirst(filepath.Join(root, "postgresql", "*", "bin"))
	var versions []string
	for _, d := range got {
		versions = append(versions, filepath.Base(filepath.Dir(d)))
	}
	if want := []string{"16", "15", "10", "9.6"}; !slices.Equal(versions, want) {
		t.Fatalf("order = %v, want %v", versions, want)
	}
}
