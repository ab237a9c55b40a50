package gormstore

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/authd/authd/domain/ident"
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

// Ids reach the database only as canonical UUIDs (the domain's typed ids),
// so nothing checks them on the way in; on the way out every stored id is
// parsed, and one that is not a UUID makes the row an error, never a zero
// id, without the error quoting it.
func TestStoredRowsWithMalformedIDsAreErrors(t *testing.T) {
	const (
		userID    = "0190a3f4-5b6c-7d8e-9fa0-b1c2d3e4f5a6"
		sessionID = "0190a3f4-5b6c-7d8e-9fa0-b1c2d3e4f5a7"
		eventID   = "0190a3f4-5b6c-7d8e-9fa0-b1c2d3e4f5a8"
	)
	at := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	users := func(id string) error {
		_, err := userRow{
			ID: id, Email: "ada@example.com", FullName: "Ada Lovelace", Role: "user",
			PasswordHash: nullable("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"),
			CreatedAt:    at, UpdatedAt: at,
		}.toDomain()
		return err
	}
	sessions := func(id, owner string) error {
		_, err := sessionRow{
			ID: id, UserID: owner, Generation: 1, CreatedAt: at, LastUsedAt: at, RotatedAt: at,
			IdleExpiresAt: at.Add(time.Hour), ExpiresAt: at.Add(10 * time.Hour),
		}.toDomain()
		return err
	}
	events := func(id string, by, in *string) error {
		_, err := auditRow{ID: id, Type: "login_succeeded", UserID: by, SessionID: in, At: at, Detail: "{}"}.toDomain()
		return err
	}
	ptr := func(s string) *string { return &s }
	cases := map[string]func(id string) error{
		"user id":                users,
		"session id":             func(id string) error { return sessions(id, userID) },
		"user id of a session":   func(id string) error { return sessions(sessionID, id) },
		"event id":               func(id string) error { return events(id, nil, nil) },
		"user id of an event":    func(id string) error { return events(eventID, ptr(id), nil) },
		"session id of an event": func(id string) error { return events(eventID, nil, ptr(id)) },
		"user id of an event that names a session": func(id string) error { return events(eventID, ptr(id), ptr(sessionID)) },
		"session id of an event that names a user": func(id string) error { return events(eventID, ptr(userID), ptr(id)) },
	}
	for what, load := range cases {
		// The same row with a well-formed id loads: only the id is wrong below.
		if err := load(userID); err != nil {
			t.Fatalf("%s well-formed: %v", what, err)
		}
		for _, bad := range []string{
			"", "not-a-uuid",
			"{0190a3f4-5b6c-7d8e-9fa0-b1c2d3e4f5a6}",
			"urn:uuid:0190a3f4-5b6c-7d8e-9fa0-b1c2d3e4f5a6",
			"0190a3f45b6c7d8e9fa0b1c2d3e4f5a6",
			"0190a3f4-5b6c-7d8e-9fa0-b1c2d3e4f5zz",
		} {
			err := load(bad)
			if !errors.Is(err, ident.ErrMalformed) {
				t.Errorf("%s %q: err = %v, want ident.ErrMalformed", what, bad, err)
				continue
			}
			if bad != "" && strings.Contains(err.Error(), bad) {
				t.Errorf("%s %q: the error quotes the stored value: %v", what, bad, err)
			}
		}
	}
}
