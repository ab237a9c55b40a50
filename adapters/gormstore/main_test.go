package gormstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"go.uber.org/zap"

	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/test/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// dialects names a fresh, empty database URL maker per dialect.
var dialects = map[string]func(t *testing.T) string{
	"sqlite":   func(t *testing.T) string { return "sqlite://" + filepath.Join(t.TempDir(), "authd.db") },
	"postgres": func(t *testing.T) string { return pgtest.NewDatabaseURL(t) },
}

// open opens url and closes it when t ends.
func open(t *testing.T, url string) *gormstore.DB {
	t.Helper()
	db, err := gormstore.Open(context.Background(), url, zap.NewNop())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// openMigrated opens a fresh database of the dialect with the schema applied.
func openMigrated(t *testing.T, dialect string) *gormstore.DB {
	t.Helper()
	db := open(t, dialects[dialect](t))
	if err := db.Migrate(context.Background(), "up"); err != nil {
		t.Fatalf("Migrate up: %v", err)
	}
	return db
}
