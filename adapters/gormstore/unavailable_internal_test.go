package gormstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/authd/authd/ports/outbound"
)

func TestClassifyTellsOutagesFromRequestErrors(t *testing.T) {
	c := conn{shared: &shared{outages: newOutageLog(nil)}}
	for _, tc := range []struct {
		err         error
		unavailable bool
	}{
		{context.DeadlineExceeded, true},
		{fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true},
		{io.ErrUnexpectedEOF, true},
		{&pgconn.PgError{Code: "57014"}, true},  // statement_timeout
		{&pgconn.PgError{Code: "55P03"}, true},  // lock_timeout
		{&pgconn.PgError{Code: "57P01"}, true},  // admin shutdown
		{&pgconn.PgError{Code: "08006"}, true},  // connection failure
		{&pgconn.PgError{Code: "23505"}, false}, // unique violation: the request's
		{context.Canceled, false},               // the client went away
		{errors.New("some bug"), false},
		// A server's refusal at connect time: not a request error.
		{connectRefusal(t), true},
	} {
		got := c.wrap("get user", tc.err)
		if errors.Is(got, outbound.ErrUnavailable) != tc.unavailable {
			t.Errorf("wrap(%v) = %v; unavailable %v, want %v", tc.err, got, !tc.unavailable, tc.unavailable)
		}
	}
}

// A pgconn ConnectError names the DSN's user, database and host; the
// unavailable error and the log line name none of them.
func TestOutagesAreLoggedOncePerIntervalWithoutTheDSN(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	out := newOutageLog(zap.New(core))
	now := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	out.now = func() time.Time { return now }
	c := conn{shared: &shared{outages: out}}

	// Nothing listens on port 1: a real ConnectError, connection refused.
	_, connectErr := pgconn.Connect(context.Background(), "postgres://secretuser:pw@127.0.0.1:1/secretdb?connect_timeout=5")
	if connectErr == nil || !strings.Contains(connectErr.Error(), "secretuser") {
		t.Fatalf("the test's premise changed: %v", connectErr)
	}
	for i := range 100 {
		now = now.Add(100 * time.Millisecond) // 10 s in all
		err := c.wrap("load principal", fmt.Errorf("x: %w", connectErr))
		if !errors.Is(err, outbound.ErrUnavailable) {
			t.Fatalf("failure %d: %v is not unavailable", i, err)
		}
		for _, secret := range []string{"secretuser", "secretdb", "127.0.0.1", "pw"} {
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("error %q names %q", err, secret)
			}
		}
	}
	if n := logs.Len(); n != 1 {
		t.Fatalf("%d log lines for 100 failures in 10 s, want 1", n)
	}
	now = now.Add(time.Minute)
	_ = c.wrap("load principal", connectErr)
	entries := logs.All()
	if len(entries) != 2 || entries[1].ContextMap()["failures"] != int64(100) {
		t.Fatalf("second line %+v, want one counting the 99 quiet failures and this one", entries)
	}
	for _, e := range entries {
		for _, v := range e.ContextMap() {
			if s, ok := v.(string); ok && (strings.Contains(s, "secret") || strings.Contains(s, "127.0.0.1")) {
				t.Fatalf("log line names the DSN: %+v", e.ContextMap())
			}
		}
	}
	c.succeeded()
	c.succeeded()
	if logs.Len() != 3 || logs.All()[2].Message != "database reachable again" {
		t.Fatalf("recovery logged as %+v, want one line", logs.All()[2:])
	}
}

// connectRefusal connects to a port nothing listens on: a real
// *pgconn.ConnectError.
func connectRefusal(t *testing.T) error {
	_, err := pgconn.Connect(context.Background(), "postgres://u@127.0.0.1:1/db?connect_timeout=5")
	if err == nil {
		t.Fatal("connected to port 1")
	}
	return err
}
