package wiring

import (
	"context"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/adapters/idn"
	"github.com/authd/authd/config"
	"github.com/authd/authd/ports/outbound"
)

// Storage opens the database named by database.url (PostgreSQL or the
// embedded SQLite), applies pending migrations at startup when
// database.auto_migrate is set, and binds every storage port to it,
// sessions included (StorageFor puts them elsewhere when configured).
var Storage = fx.Options(database, sqlSessions)

// StorageFor is Storage with the sessions where sessions.store puts them.
func StorageFor(cfg *config.Config) fx.Option {
	if cfg.Sessions.Store == config.SessionStoreRedis {
		return fx.Options(database, RedisSessions)
	}
	return Storage
}

// sqlSessions binds the session ports to the database: the repository, the
// principal lookup (the adapter's own one-query join), the transactor (one
// SQL transaction for every unit of work) and readiness.
var sqlSessions = fx.Module("sql-sessions",
	fx.Provide(
		fx.Annotate((*gormstore.DB).Sessions, fx.As(new(outbound.SessionRepository))),
		fx.Annotate((*gormstore.DB).Principals, fx.As(new(outbound.PrincipalLookup))),
		fx.Annotate((*gormstore.DB).Transactor, fx.As(new(outbound.Transactor))),
		func(db *gormstore.DB) httpapi.ReadyFunc { return db.Ready },
	),
)

// database is the database and every port but the sessions'.
var database = fx.Module("storage",
	fx.Provide(
		newDatabase,
		fx.Annotate((*gormstore.DB).Users, fx.As(new(outbound.UserRepository))),
		fx.Annotate((*gormstore.DB).Audit, fx.As(new(outbound.AuditLog))),
		fx.Annotate((*gormstore.DB).Identities, fx.As(new(outbound.IdentityRepository))),
		fx.Annotate((*gormstore.DB).FlowStates, fx.As(new(outbound.FlowStateRepository))),
		fx.Annotate((*gormstore.DB).LoginCodes, fx.As(new(outbound.LoginCodeRepository))),
		sweeper((*gormstore.DB).FlowStates),
		sweeper((*gormstore.DB).LoginCodes),
		fx.Annotate((*gormstore.DB).LoginFailures, fx.As(new(outbound.LoginFailures))),
		sweeper((*gormstore.DB).LoginFailures),
		fx.Annotate((*gormstore.DB).Outbox, fx.As(new(outbound.Outbox))),
		sweeper((*gormstore.DB).SecretSweeper),
		sweeper((*gormstore.DB).OutboxSweeper),
		sweeper(func(db *gormstore.DB, cfg *config.Config) *gormstore.SessionSweeper {
			return db.SessionSweeper(cfg.Audit.Retention)
		}),
		sweeper(func(db *gormstore.DB, cfg *config.Config) *gormstore.AuditSweeper {
			return db.AuditSweeper(cfg.Audit.Retention)
		}),
	),
)

// OpenDatabase opens the configured database without the rest of the
// application, for the migrate command.
func OpenDatabase(ctx context.Context, cfg *config.Config) (*gormstore.DB, error) {
	return gormstore.OpenWith(ctx, cfg.Database.URL, databaseSettings(cfg, zap.NewNop()))
}

func newDatabase(lc fx.Lifecycle, cfg *config.Config, log *zap.Logger) (*gormstore.DB, error) {
	db, err := gormstore.OpenWith(context.Background(), cfg.Database.URL, databaseSettings(cfg, log))
	if err != nil {
		return nil, err
	}
	lc.Append(fx.Hook{
		// Registered before the HTTP server's hook, so the schema is
		// current before the first request is accepted.
		OnStart: func(ctx context.Context) error {
			if !cfg.Database.AutoMigrate {
				return nil
			}
			return db.Migrate(ctx, "up")
		},
		OnStop: func(context.Context) error { return db.Close() },
	})
	return db, nil
}

// databaseSettings are the pool, the deadlines and the email normal form
// (migration 4 rewrites stored emails into it) from the configuration.
func databaseSettings(cfg *config.Config, log *zap.Logger) gormstore.Settings {
	return gormstore.Settings{
		Log:             log,
		QueryTimeout:    cfg.Database.QueryTimeout,
		MaxOpenConns:    cfg.Database.MaxOpenConns,
		ConnMaxLifetime: cfg.Database.ConnMaxLifetime,
		ConnMaxIdleTime: cfg.Database.ConnMaxIdleTime,
		Emails:          idn.New(),
	}
}
