package wiring

import (
	"go.uber.org/fx"

	"github.com/authd/authd/application"
	"github.com/authd/authd/config"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

// UseCases builds every use case from the ports it names in its
// constructor, binds each to its inbound port, and provides the rules they
// apply from the configuration.
var UseCases = fx.Module("usecases",
	fx.Provide(
		sessionRules, lockoutRules, passwordPolicy, cleanupRules,
		fx.Annotate(application.NewSignup, fx.As(new(inbound.Signup))),
		fx.Annotate(application.NewLogin, fx.As(new(inbound.Login))),
		fx.Annotate(application.NewRefresh, fx.As(new(inbound.Refresh))),
		fx.Annotate(application.NewLogout, fx.As(new(inbound.Logout))),
		fx.Annotate(application.NewAuthenticate, fx.As(new(inbound.Authenticate))),
		fx.Annotate(application.NewMe, fx.As(new(inbound.Me))),
		fx.Annotate(application.NewListSessions, fx.As(new(inbound.ListSessions))),
		fx.Annotate(application.NewRevokeSession, fx.As(new(inbound.RevokeSession))),
		fx.Annotate(application.NewLogoutAll, fx.As(new(inbound.LogoutAll))),
		fx.Annotate(application.NewRevokeOtherSessions, fx.As(new(inbound.RevokeOtherSessions))),
		fx.Annotate(application.NewChangePassword, fx.As(new(inbound.ChangePassword))),
		fx.Annotate(application.NewCreateUser, fx.As(new(inbound.CreateUser))),
		fx.Annotate(application.NewRotateSigningKey, fx.As(new(inbound.RotateSigningKey))),
		fx.Annotate(application.NewCleanup, fx.ParamTags(`group:"sweepers"`), fx.As(new(inbound.Cleanup))),
		fx.Annotate(application.NewListUsers, fx.As(new(inbound.ListUsers))),
		fx.Annotate(application.NewGetUser, fx.As(new(inbound.GetUser))),
		fx.Annotate(application.NewUpdateUser, fx.As(new(inbound.UpdateUser))),
		fx.Annotate(application.NewDeleteUser, fx.As(new(inbound.DeleteUser))),
		fx.Annotate(application.NewListUserSessions, fx.As(new(inbound.ListUserSessions))),
		fx.Annotate(application.NewRevokeUserSessions, fx.As(new(inbound.RevokeUserSessions))),
		fx.Annotate(application.NewListAudit, fx.As(new(inbound.ListAudit))),
		fx.Annotate(application.NewSendVerification, fx.As(new(inbound.SendVerification))),
		fx.Annotate(application.NewVerifyEmail, fx.As(new(inbound.VerifyEmail))),
		fx.Annotate(application.NewForgotPassword, fx.As(new(inbound.ForgotPassword))),
		fx.Annotate(application.NewResetPassword, fx.As(new(inbound.ResetPassword))),
		fx.Annotate(application.NewRequestEmailChange, fx.As(new(inbound.RequestEmailChange))),
		fx.Annotate(application.NewConfirmEmailChange, fx.As(new(inbound.ConfirmEmailChange))),
		fx.Annotate(application.NewUpdateProfile, fx.As(new(inbound.UpdateProfile))),
		fx.Annotate(application.NewDeliverMail, fx.As(new(inbound.DeliverMail))),
		application.NewMailRequests,
	),
)

func sessionRules(cfg *config.Config) application.SessionRules {
	return application.SessionRules{
		Policy: session.Policy{
			IdleTimeout: cfg.Auth.SessionIdleTimeout,
			MaxLifetime: cfg.Auth.SessionMaxLifetime,
			ReuseGrace:  cfg.Auth.RefreshReuseGrace,
		},
		MaxPerUser: cfg.Auth.MaxSessionsPerUser,
	}
}

func lockoutRules(cfg *config.Config) application.LockoutRules {
	return application.LockoutRules{MaxFailures: cfg.Lockout.MaxFailures, Window: cfg.Lockout.Window}
}

func passwordPolicy(cfg *config.Config, blocklist user.Blocklist) user.PasswordPolicy {
	return user.PasswordPolicy{MinLength: cfg.Password.MinLength, Blocklist: blocklist}
}

func cleanupRules(cfg *config.Config) application.CleanupRules {
	return application.CleanupRules{BatchSize: cfg.Cleanup.BatchSize}
}
