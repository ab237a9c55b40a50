// Package wiring is the composition root: the only package outside tests
// that imports fx. Each file is one fx.Module binding adapters to the ports
// the use cases declare.
package wiring

import (
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
	"go.uber.org/zap"

	"github.com/authd/authd/config"
)

// Core is every module but the HTTP server and the background workers:
// storage, crypto, rate limiting, use cases and logging. Operator commands
// that need the use cases start just this.
func Core(cfg *config.Config) fx.Option { return coreOn(cfg, StorageFor(cfg)) }

// Options is the whole server on the configured database (and, with
// sessions.store=redis, its sessions in Redis).
func Options(cfg *config.Config) fx.Option { return ServerOn(cfg, StorageFor(cfg)) }

// ServerOn is the whole server with storage bound by the given module:
// Storage in production, MemoryStorage for tests and demos that need no
// database.
func ServerOn(cfg *config.Config, storage fx.Option) fx.Option {
	return fx.Options(coreOn(cfg, storage), HTTP, BackgroundCleanup,
		Shutdown,
		Metrics(cfg),
		KeyReload,
		Tracing(cfg),
		MailSender,
	)
}

func coreOn(cfg *config.Config, storage fx.Option) fx.Option {
	return fx.Options(
		fx.Supply(cfg),
		Logging,
		storage,
		Crypto,
		RateLimiting,
		Mail,
		UseCases,
		SignIn,
	)
}

// New builds the server application; extra options let tests replace
// adapters (a manual clock, say) without touching production wiring.
func New(cfg *config.Config, extra ...fx.Option) *fx.App {
	return fx.New(
		Options(cfg),
		fx.Options(extra...),
		fx.WithLogger(func(log *zap.Logger) fxevent.Logger {
			// fx's own events are only interesting when debugging the graph.
			l := &fxevent.ZapLogger{Logger: log}
			l.UseLogLevel(zap.DebugLevel)
			return l
		}),
	)
}
