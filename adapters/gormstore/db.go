// Package gormstore implements the storage ports (users, sessions, principal
// lookup, audit log, one-time secrets, the mail outbox, transactions) with GORM on PostgreSQL or SQLite, chosen by the
// database URL. The schema comes from the embedded goose migrations in
// package migrations, never from GORM's AutoMigrate.
package gormstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"go.uber.org/zap"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/authd/authd/ports/outbound"
)

// Settings tune the connection pool and the deadlines. DefaultSettings
// are the values the configuration defaults to.
type Settings struct {
	// Log receives one line per migration applied and the outage
	// reports; nil logs nothing.
	Log *zap.Logger
	// QueryTimeout bounds every database call (a whole transaction for a
	// unit of work). On PostgreSQL it is also each connection's
	// statement_timeout and lock_timeout, so the server gives up too.
	// Zero means no deadline.
	QueryTimeout time.Duration
	// MaxOpenConns bounds the PostgreSQL pool; it keeps as many idle, so
	// that a busy pool never closes a connection only to open one again
	// (a new backend, and every statement prepared anew).
	MaxOpenConns int
	// ConnMaxLifetime and ConnMaxIdleTime retire connections, so that a
	// failover or a pooler can rebalance them.
	ConnMaxLifetime time.Duration
	ConnMaxIdleTime time.Duration
	// Emails normalises the stored emails in migration 4; it may be nil
	// for a database with no email outside ASCII (a new one).
	Emails outbound.EmailNormalizer
}

// DefaultSettings: a 5 s deadline and eight connections per CPU. A unit of
// work is several round trips, during which its backend mostly waits for
// authd, so the database's CPUs stay busy only with several connections
// per CPU; more would only queue inside PostgreSQL.
func DefaultSettings() Settings {
	return Settings{
		QueryTimeout:    5 * time.Second,
		MaxOpenConns:    8 * runtime.NumCPU(),
		ConnMaxLifetime: 30 * time.Minute,
		ConnMaxIdleTime: 5 * time.Minute,
	}
}

// statementCacheCapacity is how many prepared statements pgx keeps per
// connection: authd has a few dozen distinct statements.
const statementCacheCapacity = 256

// DB is an open database with its repositories and migrations.
type DB struct {
	gorm     *gorm.DB
	sql      *sql.DB
	target   target
	migrator *goose.Provider
	// migrations is the pool goose uses: on PostgreSQL one without the
	// statement and lock timeouts, which a long migration must not hit.
	migrations *sql.DB
	log        *zap.Logger
	shared     *shared
}

// Open connects with DefaultSettings; see OpenWith.
func Open(ctx context.Context, databaseURL string, log *zap.Logger) (*DB, error) {
	s := DefaultSettings()
	s.Log = log
	return OpenWith(ctx, databaseURL, s)
}

// OpenWith connects to the database named by databaseURL: postgres:// or
// postgresql:// select PostgreSQL, sqlite://PATH (relative or absolute) an
// SQLite file, whose directory is created if needed. It pings the database
// but does not migrate it. Errors never contain the URL's password.
func OpenWith(ctx context.Context, databaseURL string, settings Settings) (*DB, error) {
	t, err := parseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	if err := t.prepare(); err != nil {
		return nil, err
	}
	log := settings.Log
	if log == nil {
		log = zap.NewNop()
	}
	db := &DB{target: t, log: log, shared: &shared{queryTimeout: settings.QueryTimeout, outages: newOutageLog(log)}}
	var dialector gorm.Dialector
	if t.dialect == dialectPostgres {
		pool, migrations, err := openPostgres(t, settings)
		if err != nil {
			return nil, err
		}
		db.sql, db.migrations = pool, migrations
		dialector = postgres.New(postgres.Config{Conn: pool})
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
		db.closePools()
		return nil, t.scrub(fmt.Errorf("gormstore: open %s database: %w", t.dialect, err))
	}
	db.gorm = gdb
	if db.sql == nil {
		if db.sql, err = gdb.DB(); err != nil {
			return nil, fmt.Errorf("gormstore: %w", err)
		}
		// One connection serialises writers, which is what makes
		// Update's read-modify-write safe without row locks. A transaction
		// therefore holds the only connection: see conn.
		db.sql.SetMaxOpenConns(1)
		db.sql.SetMaxIdleConns(1)
		db.migrations = db.sql
	}
	if err := db.sql.PingContext(ctx); err != nil {
		db.closePools()
		return nil, db.conn().wrap("connect to "+string(t.dialect)+" database", err)
	}
	if db.migrator, err = newMigrator(db.migrations, t.dialect, settings.Emails, log); err != nil {
		db.closePools()
		return nil, err
	}
	return db, nil
}

// openPostgres opens the pool the repositories use, each connection with
// the statement and lock timeouts and pgx's statement cache, and the pool
// of the migrations, without the timeouts. Settings the URL names itself
// (statement_timeout=..., say) are kept.
func openPostgres(t target, s Settings) (pool, migrations *sql.DB, err error) {
	cfg, err := pgx.ParseConfig(t.dsn)
	if err != nil {
		return nil, nil, errors.New("gormstore: malformed PostgreSQL URL")
	}
	migrationCfg := cfg.Copy()
	cfg.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
	cfg.StatementCacheCapacity = statementCacheCapacity
	if s.QueryTimeout > 0 {
		ms := strconv.FormatInt(s.QueryTimeout.Milliseconds(), 10)
		setDefault(cfg.RuntimeParams, "statement_timeout", ms)
		setDefault(cfg.RuntimeParams, "lock_timeout", ms)
		// A transaction left open by a client that froze holding a row
		// lock (a stopped authd) is ended by the server.
		setDefault(cfg.RuntimeParams, "idle_in_transaction_session_timeout", strconv.FormatInt(2*s.QueryTimeout.Milliseconds(), 10))
		if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > s.QueryTimeout {
			cfg.ConnectTimeout = s.QueryTimeout
		}
	}
	pool = stdlib.OpenDB(*cfg)
	n := s.MaxOpenConns
	if n <= 0 {
		n = DefaultSettings().MaxOpenConns
	}
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	pool.SetConnMaxLifetime(s.ConnMaxLifetime)
	pool.SetConnMaxIdleTime(s.ConnMaxIdleTime)

	migrations = stdlib.OpenDB(*migrationCfg)
	migrations.SetMaxIdleConns(1)
	migrations.SetConnMaxIdleTime(time.Minute)
	return pool, migrations, nil
}

func setDefault(params map[string]string, key, value string) {
	if _, set := params[key]; !set {
		params[key] = value
	}
}

func (db *DB) closePools() {
	if db.sql != nil {
		_ = db.sql.Close()
	}
	if db.migrations != nil && db.migrations != db.sql {
		_ = db.migrations.Close()
	}
}

// Close closes every connection.
func (db *DB) Close() error {
	err := db.sql.Close()
	if db.migrations != db.sql {
		err = errors.Join(err, db.migrations.Close())
	}
	return err
}

func (db *DB) conn() conn { return conn{db: db.gorm, dialect: db.target.dialect, shared: db.shared} }

// Users returns the user repository.
func (db *DB) Users() *UserRepository { return &UserRepository{conn: db.conn()} }

// Sessions returns the session repository.
func (db *DB) Sessions() *SessionRepository { return &SessionRepository{conn: db.conn()} }

// Principals returns the principal lookup.
func (db *DB) Principals() *PrincipalLookup { return &PrincipalLookup{conn: db.conn()} }

// Audit returns the audit log.
func (db *DB) Audit() *AuditLog { return &AuditLog{conn: db.conn()} }

// Identities returns the identity repository.
func (db *DB) Identities() *IdentityRepository { return &IdentityRepository{conn: db.conn()} }

// FlowStates returns the repository (and sweeper) of sign-in flow states.
func (db *DB) FlowStates() *FlowStateRepository { return &FlowStateRepository{conn: db.conn()} }

// LoginCodes returns the repository (and sweeper) of one-time login codes.
func (db *DB) LoginCodes() *LoginCodeRepository { return &LoginCodeRepository{conn: db.conn()} }

// Secrets returns the one-time secret repository.
func (db *DB) Secrets() *SecretRepository { return &SecretRepository{conn: db.conn()} }

// Outbox returns the mail outbox.
func (db *DB) Outbox() *Outbox { return &Outbox{conn: db.conn()} }

// SecretSweeper returns the cleanup of finished one-time secrets.
func (db *DB) SecretSweeper() SecretSweeper { return SecretSweeper{conn: db.conn()} }

// OutboxSweeper returns the cleanup of delivered mail.
func (db *DB) OutboxSweeper() OutboxSweeper { return OutboxSweeper{conn: db.conn()} }

// Transactor returns the transactor.
func (db *DB) Transactor() *Transactor { return &Transactor{conn: db.conn()} }

// Dialect returns "postgres" or "sqlite".
func (db *DB) Dialect() string { return string(db.target.dialect) }
