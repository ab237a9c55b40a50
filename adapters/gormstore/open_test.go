package gormstore_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/authd/authd/adapters/gormstore"
)

func TestOpenRejectsBadURLsWithoutEchoingThem(t *testing.T) {
	const secret = "s3cr3t-pw"
	for _, raw := range []string{
		"",
		"mysql://root:" + secret + "@db/authd",
		"root:" + secret + "@tcp(db)/authd",
		"postgres://root:" + secret + "@%zz/authd",
		"sqlite://",
		"sqlite://authd.db?mode=memory",
		// Nothing listens on port 1: the connection is refused.
		"postgres://authd:" + secret + "@127.0.0.1:1/authd?connect_timeout=5",
	} {
		db, err := gormstore.Open(context.Background(), raw, zap.NewNop())
		if err == nil {
			_ = db.Close()
			t.Errorf("Open(%q) succeeded", raw)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("Open error leaks the password: %v", err)
		}
	}
}

func TestOpenSQLiteCreatesTheDirectory(t *testing.T) {
	dir := t.TempDir()
	abs := filepath.Join(dir, "a", "b", "authd.db")
	open(t, "sqlite://"+abs)
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("absolute path: %v", err)
	}

	t.Chdir(dir)
	db := open(t, "sqlite://data/authd.db")
	if _, err := os.Stat(filepath.Join(dir, "data", "authd.db")); err != nil {
		t.Fatalf("relative path: %v", err)
	}
	if db.Dialect() != "sqlite" {
		t.Fatalf("Dialect() = %q, want sqlite", db.Dialect())
	}
}

func TestOpenPostgres(t *testing.T) {
	db := open(t, dialects["postgres"](t))
	if db.Dialect() != "postgres" {
		t.Fatalf("Dialect() = %q, want postgres", db.Dialect())
	}
	url := dialects["postgres"](t)
	db = open(t, "postgresql://"+strings.TrimPrefix(url, "postgres://"))
	if err := db.Migrate(context.Background(), "up"); err != nil {
		t.Fatalf("postgresql:// URL: %v", err)
	}
}
