// Package gormstore implements the storage ports (users, sessions, principal
// lookup, audit log, transactions) with GORM on PostgreSQL or SQLite, chosen by the
// database URL. The schema comes from the embedded goose migrations in
// package migrations, never from GORM's AutoMigrate.
package gormstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"go.uber.org/zap"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// PostgreSQL pool limits: enough connections for concurrent refreshes, with
// lifetimes that let a failover or a pooler rebalance connections. Every
// open connection may stay idle: with fewer idle slots than open ones, a
// burst closes the surplus as it ends and the next burst opens them again,
// and a new PostgreSQL connection (a forked backend) costs more CPU than
// the query it serves. ConnMaxIdleTime still closes those a quiet period
// leaves unused.
const (
	pgMaxOpenConns    = 20
	pgMaxIdleConns    = 20
	pgConnMaxLifetime = 30 * time.Minute
	pgConnMaxIdleTime = 5 * time.Minute
)

// DB is an open database with its repositories and migrations.
type DB struct {
	gorm     *gorm.DB
	sql      *sql.DB
	target   target
	migrator *goose.Provider
	log      *zap.Logger
}

// Open connects to the database named by databaseURL: postgres:// or
// postgresql:// select PostgreSQL, sqlite://PATH (relative or absolute) an
// SQLite file, whose directory is created if needed. It pings the database
// but does not migrate it. Errors never contain the URL's password. log
// (nil: none) receives one line per migration applied.
func Open(ctx context.Context, databaseURL string, log *zap.Logger) (*DB, error) {
	t, err := parseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	if err := t.prepare(); err != nil {
		return nil, err
	}
	var dialector gorm.Dialector
	if t.dialect == dialectPostgres {
		dialector = postgres.Open(t.dsn)
	} else {
		dialector = sqlite.Open(t.dsn)
	}
	gdb, err := gorm.Open(dialector, &gorm.Config{
		// Duplicate keys and foreign-key violations become gorm errors
		// the repositories can test for, on both dialects.
		TranslateError: true,
		// A SQL log line would carry bound values, password hashes
		// among them: GORM logs nothing.
		Logger: logger.Discard,
		// Each write is one statement or an explicit transaction already.
		SkipDefaultTransaction: true,
		// Ping below, with ctx.
		DisableAutomaticPing: true,
		// pgx caches prepared statements per connection already, and
		// GORM's own cache would outlive a migration's schema change.
		PrepareStmt: false,
	})
	if err != nil {
		return nil, t.scrub(fmt.Errorf("gormstore: open %s database: %w", t.dialect, err))
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("gormstore: %w", err)
	}
	configurePool(sqlDB, t.dialect)
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, t.scrub(fmt.Errorf("gormstore: connect to %s database: %w", t.dialect, err))
	}
	migrator, err := newMigrator(sqlDB, t.dialect)
	if err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	if log == nil {
		log = zap.NewNop()
	}
	return &DB{gorm: gdb, sql: sqlDB, target: t, migrator: migrator, log: log}, nil
}

func configurePool(db *sql.DB, d dialect) {
	if d == dialectSQLite {
		// One connection serialises writers, which is what makes
		// Update's read-modify-write safe without row locks. A transaction
		// therefore holds the only connection: see conn.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		return
	}
	db.SetMaxOpenConns(pgMaxOpenConns)
	db.SetMaxIdleConns(pgMaxIdleConns)
	db.SetConnMaxLifetime(pgConnMaxLifetime)
	db.SetConnMaxIdleTime(pgConnMaxIdleTime)
}

// Close closes every connection.
func (db *DB) Close() error { return db.sql.Close() }

func (db *DB) conn() conn { return conn{db: db.gorm, dialect: db.target.dialect} }

// Users returns the user repository.
func (db *DB) Users() *UserRepository { return &UserRepository{conn: db.conn()} }

// Sessions returns the session repository.
func (db *DB) Sessions() *SessionRepository { return &SessionRepository{conn: db.conn()} }

// Principals returns the principal lookup.
func (db *DB) Principals() *PrincipalLookup { return &PrincipalLookup{conn: db.conn()} }

// Audit returns the audit log.
func (db *DB) Audit() *AuditLog { return &AuditLog{conn: db.conn()} }

// Transactor returns the transactor.
func (db *DB) Transactor() *Transactor { return &Transactor{conn: db.conn()} }

// Dialect returns "postgres" or "sqlite".
func (db *DB) Dialect() string { return string(db.target.dialect) }
