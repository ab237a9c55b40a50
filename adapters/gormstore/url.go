package gormstore

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// sqlitePragmas configure every SQLite connection: enforce foreign keys
// (off by default in SQLite), wait for a lock instead of failing at once,
// let readers work during writes (WAL), and take the write lock at BEGIN so
// that two processes sharing the file never deadlock upgrading a read lock.
const sqlitePragmas = "_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_txlock=immediate"

// target is a parsed database URL.
type target struct {
	dialect dialect
	dsn     string
	// password is kept only to scrub it from driver errors.
	password string
}

// parseURL reads postgres://, postgresql:// and sqlite://PATH URLs. Its
// errors never repeat the URL, which may hold a password.
func parseURL(raw string) (target, error) {
	switch {
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		u, err := url.Parse(raw)
		if err != nil {
			return target{}, errors.New("gormstore: malformed PostgreSQL URL")
		}
		pw, _ := u.User.Password()
		return target{dialect: dialectPostgres, dsn: raw, password: pw}, nil
	case strings.HasPrefix(raw, "sqlite://"):
		path := strings.TrimPrefix(raw, "sqlite://")
		if path == "" {
			return target{}, errors.New("gormstore: sqlite URL needs a file path (sqlite://PATH)")
		}
		if strings.ContainsAny(path, "?#") {
			return target{}, errors.New("gormstore: sqlite URL takes no parameters: authd sets the pragmas itself")
		}
		return target{dialect: dialectSQLite, dsn: path + "?" + sqlitePragmas}, nil
	}
	if raw == "" {
		return target{}, errors.New("gormstore: database URL is empty")
	}
	// Name the scheme only when it looks like one, never other text.
	scheme, _, found := strings.Cut(raw, "://")
	if !found || scheme == "" || strings.Trim(strings.ToLower(scheme), "abcdefghijklmnopqrstuvwxyz0123456789+.-") != "" {
		scheme = "?"
	}
	return target{}, fmt.Errorf("gormstore: unsupported database URL scheme %q: use postgres:// or sqlite://", scheme)
}

// sqlitePath returns the file path of a sqlite target.
func (t target) sqlitePath() string {
	path, _, _ := strings.Cut(t.dsn, "?")
	return path
}

// prepare creates the parent directory of a SQLite file.
func (t target) prepare() error {
	if t.dialect != dialectSQLite {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(t.sqlitePath()), 0o750); err != nil {
		return fmt.Errorf("gormstore: create database directory: %w", err)
	}
	return nil
}

// scrub removes the password from an error's text. Drivers already avoid
// printing it; this holds even if one does not. The scrubbed error no
// longer wraps the original, since the original's text is what leaks.
func (t target) scrub(err error) error {
	if err == nil || t.password == "" || !strings.Contains(err.Error(), t.password) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), t.password, "xxxxx"))
}
