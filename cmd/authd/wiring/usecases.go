package wiring

import (
	"go.uber.org/fx"

	"github.com/authd/authd/application"
	"github.com/authd/authd/config"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// UseCases builds every use case from the ports and binds each to its
// inbound interface.
var UseCases = fx.Module("usecases",
	fx.Provide(
		newSettings,
		newDeps,
		fx.Annotate(application.NewSignup, fx.As(new(inbound.Signup))),
		fx.Annotate(application.NewLogin, fx.As(new(inbound.Login))),
		fx.Annotate(application.NewRefresh, fx.As(new(inbound.Refresh))),
		fx.Annotate(application.NewLogout, fx.As(new(inbound.Logout))),
		fx.Annotate(application.NewAuthenticate, fx.As(new(inbound.Authenticator))),
		fx.Annotate(application.NewCreateUser, fx.As(new(inbound.CreateUser))),
		fx.Annotate(application.NewChangePassword, fx.As(new(inbound.ChangePassword))),
		fx.Annotate(func() application.Me { return application.Me{} }, fx.As(new(inbound.Me))),
		fx.Annotate(application.NewAdminUsers, fx.As(new(inbound.AdminUsers))),
		fx.Annotate(application.NewAuditTrail, fx.As(new(inbound.AuditTrail))),
		fx.Annotate(application.NewRotateSigningKey, fx.As(new(inbound.RotateSigningKey))),
		application.NewPruneAudit,
		fx.Annotate(application.NewSessionManagement,
			fx.As(new(inbound.ListSessions)),
			fx.As(new(inbound.RevokeSession)),
			fx.As(new(inbound.LogoutAll)),
			fx.As(new(inbound.RevokeOtherSessions)),
		),
	),
)

// depsIn gathers the outbound ports from the adapter modules.
type depsIn struct {
	fx.In
	Users         outbound.UserRepository
	Sessions      outbound.SessionRepository
	Principals    outbound.PrincipalLookup
	Tx            outbound.Transactor
	Hasher        outbound.PasswordHasher
	AccessTokens  outbound.AccessTokens
	RefreshTokens outbound.RefreshTokens
	Clock         outbound.Clock
	IDs           outbound.IDGenerator
	Audit         outbound.AuditLog
	Limiter       outbound.RateLimiter
	Settings      application.Settings
}

func newDeps(in depsIn) application.Deps {
	return application.Deps{
		Users: in.Users, Sessions: in.Sessions, Principals: in.Principals, Tx: in.Tx,
		Hasher: in.Hasher, AccessTokens: in.AccessTokens, RefreshTokens: in.RefreshTokens,
		Clock: in.Clock, IDs: in.IDs, Audit: in.Audit, Limiter: in.Limiter, Settings: in.Settings,
	}
}

func newSettings(cfg *config.Config, blocklist user.Blocklist) application.Settings {
	return application.Settings{
		Sessions: session.Policy{
			IdleTimeout: cfg.Auth.SessionIdleTimeout,
			MaxLifetime: cfg.Auth.SessionMaxLifetime,
			ReuseGrace:  cfg.Auth.RefreshReuseGrace,
		},
		MaxSessionsPerUser: cfg.Auth.MaxSessionsPerUser,
		PasswordPolicy:     user.PasswordPolicy{MinLength: cfg.Password.MinLength, Blocklist: blocklist},
		Lockout:            outbound.Quota{Name: "lockout", Limit: cfg.Lockout.MaxFailures, Window: cfg.Lockout.Window},
		AuditRetention:     cfg.Audit.Retention,
	}
}
