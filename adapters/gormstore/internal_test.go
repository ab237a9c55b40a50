package gormstore

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"go.uber.org/zap"
)

func TestSQLiteConnectionSettings(t *testing.T) {
	db, err := Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "authd.db"), zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for pragma, want := range map[string]string{"foreign_keys": "1", "busy_timeout": "5000", "journal_mode": "wal"} {
		var got string
		if err := db.sql.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", pragma, got, want)
		}
	}
	if n := db.sql.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("MaxOpenConnections = %d, want 1 (SQLite serialises writers on one connection)", n)
	}
}

func TestScrubRemovesThePassword(t *testing.T) {
	tg, err := parseURL("postgres://authd:hunter2@db:5432/authd")
	if err != nil {
		t.Fatal(err)
	}
	got := tg.scrub(errors.New(`connect "postgres://authd:hunter2@db" failed`))
	if want := `connect "postgres://authd:xxxxx@db" failed`; got.Error() != want {
		t.Fatalf("scrub = %q, want %q", got, want)
	}
	plain := errors.New("refused")
	if tg.scrub(plain) != plain {
		t.Fatal("scrub changed an error that holds no password")
	}
}

func TestIsIDAcceptsOnlyCanonicalUUIDs(t *testing.T) {
	for s, want := range map[string]bool{
		"0190a3f4-5b6c-7d8e-9fa0-b1c2d3e4f5a6":          true,
		"0190A3F4-5B6C-7D8E-9FA0-B1C2D3E4F5A6":          false,
		"{0190a3f4-5b6c-7d8e-9fa0-b1c2d3e4f5a6}":        false,
		"urn:uuid:0190a3f4-5b6c-7d8e-9fa0-b1c2d3e4f5a6": false,
		"0190a3f45b6c7d8e9fa0b1c2d3e4f5a6":              false,
		"":                                              false,
		"not-a-uuid":                                    false,
	} {
		if got := isID(s); got != want {
			t.Errorf("isID(%q) = %v, want %v", s, got, want)
		}
	}
}
