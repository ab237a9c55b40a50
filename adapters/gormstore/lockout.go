package gormstore

import (
	"context"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// LoginFailures keeps failed sign-in counts in the login_failures table,
// one row per key holding its open window: shared by every instance on the
// database, and kept across restarts.
type LoginFailures struct{ conn conn }

var (
	_ outbound.LoginFailures = (*LoginFailures)(nil)
	_ outbound.Sweeper       = (*LoginFailures)(nil)
)

// LoginFailures returns the failed sign-in counter.
func (db *DB) LoginFailures() *LoginFailures { return &LoginFailures{conn: db.conn()} }

// failQuery counts a failure in one statement, so concurrent failures of
// one key (on any instance) each count once: the insert opens a window, the
// conflict either adds to the open one or, when it has closed, opens a new
// one. It works alike on PostgreSQL and SQLite (3.35+: RETURNING).
const failQuery = `
INSERT INTO login_failures (key, failures, window_ends) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
    failures    = CASE WHEN login_failures.window_ends <= ? THEN 1 ELSE login_failures.failures + 1 END,
    window_ends = CASE WHEN login_failures.window_ends <= ? THEN excluded.window_ends ELSE login_failures.window_ends END
RETURNING failures, window_ends`

type failureRow struct {
	Failures   int       `gorm:"column:failures"`
	WindowEnds time.Time `gorm:"column:window_ends"`
}

// Fail counts one failure of key at now.
func (f *LoginFailures) Fail(ctx context.Context, key string, now time.Time, window time.Duration) (outbound.FailureWindow, error) {
	ctx, cancel := f.conn.bound(ctx)
	defer cancel()
	t := dbTime(now)
	var row failureRow
	if err := f.conn.with(ctx).Raw(failQuery, key, dbTime(now.Add(window)), t, t).Scan(&row).Error; err != nil {
		return outbound.FailureWindow{}, f.conn.wrap("count failed login", err)
	}
	return outbound.FailureWindow{Failures: row.Failures, Ends: row.WindowEnds.UTC()}, nil
}

// Window returns key's window open at now.
func (f *LoginFailures) Window(ctx context.Context, key string, now time.Time) (outbound.FailureWindow, error) {
	ctx, cancel := f.conn.bound(ctx)
	defer cancel()
	var rows []failureRow
	err := f.conn.with(ctx).Raw(`SELECT failures, window_ends FROM login_failures WHERE key = ? AND window_ends > ?`,
		key, dbTime(now)).Scan(&rows).Error
	if err != nil {
		return outbound.FailureWindow{}, f.conn.wrap("read failed logins", err)
	}
	if len(rows) == 0 {
		return outbound.FailureWindow{}, nil
	}
	return outbound.FailureWindow{Failures: rows[0].Failures, Ends: rows[0].WindowEnds.UTC()}, nil
}

// Name says what Sweep removes.
func (f *LoginFailures) Name() string { return "login_failures" }

// Sweep deletes at most limit rows whose window closed before now, using
// the window_ends index.
func (f *LoginFailures) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	batch := f.conn.with(ctx).Table("login_failures").Select("key").Where("window_ends <= ?", dbTime(now)).Order("window_ends")
	return f.conn.deleteBatch(ctx, "login_failures", "key", batch, limit, "sweep failed logins")
}
