package wiring

import (
	"context"

	"go.uber.org/fx"

	"github.com/authd/authd/adapters/compose"
	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/config"
	"github.com/authd/authd/ports/outbound"
)

// MemoryStorage binds every storage port to one in-memory store, in place
// of Storage: the whole application without a database, for tests and
// demos. Its principal lookup is the default composition of the session
// and user repositories.
var MemoryStorage = fx.Module("memory-storage",
	fx.Provide(
		memory.NewStore,
		fx.Annotate((*memory.Store).Users, fx.As(new(outbound.UserRepository))),
		fx.Annotate((*memory.Store).Sessions, fx.As(new(outbound.SessionRepository))),
		fx.Annotate((*memory.Store).Transactor, fx.As(new(outbound.Transactor))),
		fx.Annotate((*memory.Store).Audit, fx.As(new(outbound.AuditLog))),
		fx.Annotate((*memory.Store).Identities, fx.As(new(outbound.IdentityRepository))),
		fx.Annotate((*memory.Store).FlowStates, fx.As(new(outbound.FlowStateRepository))),
		fx.Annotate((*memory.Store).LoginCodes, fx.As(new(outbound.LoginCodeRepository))),
		sweeper((*memory.Store).FlowStates),
		sweeper((*memory.Store).LoginCodes),
		memory.NewLoginFailures,
		fx.Annotate(func(f *memory.LoginFailures) *memory.LoginFailures { return f }, fx.As(new(outbound.LoginFailures))),
		sweeper(func(f *memory.LoginFailures) *memory.LoginFailures { return f }),
		fx.Annotate((*memory.Store).Outbox, fx.As(new(outbound.Outbox))),
		sweeper((*memory.Store).SecretSweeper),
		sweeper((*memory.Store).OutboxSweeper),
		fx.Annotate(composedPrincipals, fx.As(new(outbound.PrincipalLookup))),
		func() httpapi.ReadyFunc { return func(context.Context) error { return nil } },
		sweeper(func(s *memory.Store, cfg *config.Config) *memory.SessionSweeper {
			return s.SessionSweeper(cfg.Audit.Retention)
		}),
		sweeper(func(s *memory.Store, cfg *config.Config) *memory.AuditSweeper {
			return s.AuditSweeper(cfg.Audit.Retention)
		}),
	),
)

// composedPrincipals is the default principal lookup: the session, then its
// user.
func composedPrincipals(sessions outbound.SessionRepository, users outbound.UserRepository) compose.PrincipalLookup {
	return compose.PrincipalLookup{Sessions: sessions, Users: users}
}
