package redisstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/adapters/redisstore"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/pgtest"
	"github.com/authd/authd/test/redistest"
)

// The tests need a real Redis for the sessions and a real SQL database for
// the users and the audit log, as the application runs them.
func TestMain(m *testing.M) { pgtest.Main(redistest.Around(m)) }

// dialects names a fresh, empty database URL maker per SQL dialect.
var dialects = map[string]func(t *testing.T) string{
	"sqlite":   func(t *testing.T) string { return "sqlite://" + filepath.Join(t.TempDir(), "authd.db") },
	"postgres": func(t *testing.T) string { return pgtest.NewDatabaseURL(t) },
}

// openSQL opens a fresh, migrated database of the dialect, closed when t ends.
func openSQL(t *testing.T, dialect string) *gormstore.DB {
	t.Helper()
	db, err := gormstore.Open(context.Background(), dialects[dialect](t), zap.NewNop())
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background(), "up"); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
}

// openStore opens a session store on rawURL whose events go to importer,
// closed when t ends; its outage lines go to the test log.
func openStore(t *testing.T, rawURL string, importer outbound.AuditImporter) *redisstore.SessionStore {
	t.Helper()
	s, err := redisstore.NewURL(rawURL, redisstore.Options{Importer: importer, Log: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
