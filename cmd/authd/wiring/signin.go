package wiring

import (
	"maps"
	"slices"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/adapters/openid"
	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/application"
	"github.com/authd/authd/config"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// SignIn provides signing in with OpenID Connect providers: the providers
// (go-oidc), the random secrets of a flow, the configured rules, and the
// use cases. With no provider configured every provider name is unknown
// (404) and nothing contacts anyone. The repositories come from the
// storage module.
var SignIn = fx.Module("signin",
	fx.Provide(
		signInRules,
		fx.Annotate(newIdentityProviders, fx.As(new(outbound.IdentityProviders))),
		fx.Annotate(func() system.Secrets { return system.Secrets{} }, fx.As(new(outbound.Secrets))),
		fx.Annotate(application.NewStartSignIn, fx.As(new(inbound.StartSignIn))),
		fx.Annotate(application.NewStartLink, fx.As(new(inbound.StartLink))),
		fx.Annotate(application.NewCompleteSignIn, fx.As(new(inbound.CompleteSignIn))),
		fx.Annotate(application.NewExchangeLoginCode, fx.As(new(inbound.ExchangeLoginCode))),
		fx.Annotate(application.NewListIdentities, fx.As(new(inbound.ListIdentities))),
		fx.Annotate(application.NewUnlinkIdentity, fx.As(new(inbound.UnlinkIdentity))),
	),
)

func signInRules(cfg *config.Config) (application.SignInRules, error) {
	redirects, err := identity.NewRedirectAllowlist(cfg.OIDC.AllowedRedirects)
	if err != nil {
		return application.SignInRules{}, err
	}
	providers := make(map[string]identity.Policy, len(cfg.OIDC.Providers))
	for name, p := range cfg.OIDC.Providers {
		providers[name] = identity.Policy{LinkByEmail: p.LinkByEmail, AllowSignup: p.AllowSignup}
	}
	return application.SignInRules{Providers: providers, Redirects: redirects}, nil
}

func newIdentityProviders(cfg *config.Config, clock outbound.Clock, log *zap.Logger) (*openid.Providers, error) {
	var providers []openid.Provider
	for _, name := range slices.Sorted(maps.Keys(cfg.OIDC.Providers)) {
		p := cfg.OIDC.Providers[name]
		providers = append(providers, openid.Provider{
			Name: name, Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret.Reveal(), Scopes: p.Scopes,
		})
	}
	return openid.New(openid.Config{PublicURL: cfg.HTTP.PublicURL, Timeout: cfg.OIDC.Timeout, Providers: providers}, clock, log)
}
