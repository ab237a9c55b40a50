package gormstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/authd/authd/ports/outbound"
)

// unavailableError is a database failure that says nothing about the data:
// the server is down, unreachable, shutting down, or did not answer in
// time. It matches outbound.ErrUnavailable, so clients get 503 with
// Retry-After. Its text is the operation and a short cause chosen here:
// never the driver's message, which names the DSN's user, database and
// host (pgconn's ConnectError does).
type unavailableError struct {
	op    string
	cause string
}

func (e *unavailableError) Error() string {
	return "gormstore: " + e.op + ": database unavailable: " + e.cause
}

func (e *unavailableError) Unwrap() error { return outbound.ErrUnavailable }

// unavailableCause says why err means the database cannot serve now, or
// returns "" when err is about the request itself (a constraint, a bug) or
// the caller went away (context.Canceled).
func unavailableCause(err error) string {
	// Any failure to connect, whatever the server said (it may be a
	// PgError: "database not accepting connections", "too many
	// clients"), means no connection: checked before the server's codes.
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		if errors.Is(err, syscall.ECONNREFUSED) {
			return "connection refused"
		}
		return "cannot connect"
	}
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		return serverCause(pgErr.Code)
	}
	var sqliteErr interface{ Code() int }
	if errors.As(err, &sqliteErr) {
		// SQLITE_BUSY (5) and SQLITE_LOCKED (6): another writer held the
		// file for longer than busy_timeout.
		if code := sqliteErr.Code() & 0xff; code == 5 || code == 6 {
			return "database busy"
		}
		return ""
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err):
		return "no answer within the deadline"
	case errors.Is(err, context.Canceled):
		return ""
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, pgconn.ErrConnClosed):
		return "connection lost"
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return "network error"
	}
	return ""
}

// serverCause classifies an error the PostgreSQL server sent by its
// SQLSTATE: timeouts, lock waits, shutdowns, lack of resources and
// connection trouble are the server's state, not the request's fault.
func serverCause(code string) string {
	switch {
	case code == "57014":
		return "statement timeout"
	case code == "55P03":
		return "lock timeout"
	case code == "25P03":
		return "idle transaction timeout"
	case code == "40001", code == "40P01":
		return "transaction conflict"
	case len(code) == 5 && code[:2] == "08":
		return "connection failure"
	case len(code) == 5 && code[:2] == "53":
		return "server out of resources"
	case len(code) == 5 && code[:3] == "57P":
		return "server shutting down or starting"
	}
	return ""
}
