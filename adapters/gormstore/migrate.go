package gormstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"go.uber.org/zap"

	"github.com/authd/authd/migrations"
	"github.com/authd/authd/ports/outbound"
)

// ErrPendingMigrations means the database schema is older than this binary.
var ErrPendingMigrations = errors.New("gormstore: database has pending migrations")

// MigrationState is one migration and whether the database has applied it.
type MigrationState struct {
	Version   int64
	Name      string    // file name, e.g. 00001_users.sql
	Applied   bool      // false: pending
	AppliedAt time.Time // zero while pending
}

// String formats the state as one line of `authd migrate status`.
func (s MigrationState) String() string {
	if !s.Applied {
		return fmt.Sprintf("%-28s pending", s.Name)
	}
	return fmt.Sprintf("%-28s applied %s", s.Name, s.AppliedAt.UTC().Format(time.RFC3339))
}

func newMigrator(db *sql.DB, d dialect, emails outbound.EmailNormalizer, log *zap.Logger) (*goose.Provider, error) {
	dir, err := fs.Sub(migrations.FS, migrations.Dir(string(d)))
	if err != nil {
		return nil, fmt.Errorf("gormstore: migrations: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithLogger(goose.NopLogger()), goose.WithGoMigrations(v4Migration(d, emails, log))}
	gooseDialect := goose.DialectSQLite3
	if d == dialectPostgres {
		gooseDialect = goose.DialectPostgres
		// Several instances starting at once take turns: an advisory
		// lock, polled every second for up to five minutes.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("gormstore: migrations: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gooseDialect, db, dir, opts...)
	if err != nil {
		return nil, fmt.Errorf("gormstore: migrations: %w", err)
	}
	return p, nil
}

// Migrate applies every pending migration ("up") or rolls back the most
// recent one ("down"), logging each migration it ran.
func (db *DB) Migrate(ctx context.Context, direction string) error {
	var results []*goose.MigrationResult
	var err error
	switch direction {
	case "up":
		results, err = db.migrator.Up(ctx)
	case "down":
		var r *goose.MigrationResult
		r, err = db.migrator.Down(ctx)
		if r != nil {
			results = append(results, r)
		}
	default:
		return fmt.Errorf("gormstore: migrate direction must be \"up\" or \"down\", not %q", direction)
	}
	// A failed run still applied the migrations before the failing one.
	if partial := (*goose.PartialError)(nil); errors.As(err, &partial) {
		results = partial.Applied
	}
	for _, r := range results {
		db.log.Info("migration applied",
			zap.String("direction", r.Direction),
			zap.Int64("version", r.Source.Version),
			zap.String("file", migrationName(r.Source)),
			zap.Duration("took", r.Duration))
	}
	if errors.Is(err, goose.ErrNoNextVersion) {
		return errors.New("gormstore: migrate down: no migration left to roll back")
	}
	if err != nil {
		return db.target.scrub(fmt.Errorf("gormstore: migrate %s: %w", direction, err))
	}
	return nil
}

// MigrationStatus lists every migration this binary knows, oldest first.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	status, err := db.migrator.Status(ctx)
	if err != nil {
		return nil, db.target.scrub(fmt.Errorf("gormstore: migration status: %w", err))
	}
	out := make([]MigrationState, 0, len(status))
	for _, s := range status {
		out = append(out, MigrationState{
			Version:   s.Source.Version,
			Name:      migrationName(s.Source),
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

// Ready reports whether the database answers and its schema is current; it
// fails with ErrPendingMigrations when migrations are pending. It is the
// storage half of /readyz.
func (db *DB) Ready(ctx context.Context) error {
	c := db.conn()
	if err := db.sql.PingContext(ctx); err != nil {
		return db.target.scrub(c.wrap("reach the database", err))
	}
	pending, err := db.migrator.HasPending(ctx)
	if err != nil {
		return db.target.scrub(c.wrap("read migration state", err))
	}
	if pending {
		return ErrPendingMigrations
	}
	c.succeeded()
	return nil
}

// migrationName is a migration's file name; a Go migration has no file, so
// it goes by the name its source would have.
func migrationName(src *goose.Source) string {
	if src.Type == goose.TypeGo {
		return v4Name
	}
	return path.Base(src.Path)
}
