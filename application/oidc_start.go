package application

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// SignInRules are what the configuration says about signing in with
// providers: each configured provider's policy, by name, and the front-end
// URLs a flow may return to.
type SignInRules struct {
	Providers map[string]identity.Policy
	Redirects identity.RedirectAllowlist
}

// Outcomes of a flow, as SignInResult and FlowStart report them.
const (
	outcomeStarted       = "started"
	outcomeLogin         = "login"
	outcomeSignup        = "signup"
	outcomeLinkedByEmail = "linked_by_email"
	outcomeLinked        = "linked"
	// Failures; each is also the code in the front end's #error=.
	codeAccessDenied  = "access_denied"
	codeStateInvalid  = "state_invalid"
	codeAccountExists = "account_exists"
	codeIdentityTaken = "identity_taken"
	codeUserDisabled  = "user_disabled"
	codeProviderError = "provider_error"
)

// flowStarter starts sign-in and link flows alike.
type flowStarter struct {
	rules     SignInRules
	providers outbound.IdentityProviders
	flows     outbound.FlowStateRepository
	secrets   outbound.Secrets
	clock     outbound.Clock
}

// start checks the provider and the destination, asks the provider for
// its authorization URL (which discovers it on first use) and stores the
// flow. A provider that cannot be reached sends the browser back to the
// front end with #error=provider_error, and no flow is stored.
func (s flowStarter) start(ctx context.Context, provider, redirectTo string, link user.ID) (inbound.FlowStart, error) {
	if _, ok := s.rules.Providers[provider]; !ok {
		return inbound.FlowStart{}, inbound.ErrUnknownProvider
	}
	dest, err := s.rules.Redirects.Allow(redirectTo)
	if err != nil {
		return inbound.FlowStart{}, err
	}
	start := identity.FlowStart{
		State: s.secrets.NewSecret(), Binding: s.secrets.NewSecret(), Provider: provider,
		Nonce: s.secrets.NewSecret(), Verifier: s.secrets.NewSecret(), RedirectTo: dest, LinkUser: link,
	}
	url, err := s.providers.AuthorizationURL(ctx, provider, outbound.AuthorizationRequest{
		State: start.State, Nonce: start.Nonce, Verifier: start.Verifier,
	})
	if errors.Is(err, outbound.ErrProviderFailed) {
		return inbound.FlowStart{URL: identity.FrontEndURL(dest, "error", codeProviderError), Outcome: codeProviderError}, nil
	}
	if err != nil {
		return inbound.FlowStart{}, err
	}
	flow, err := identity.StartFlow(start, s.clock.Now())
	if err != nil {
		return inbound.FlowStart{}, err
	}
	if err := s.flows.Add(ctx, flow); err != nil {
		return inbound.FlowStart{}, err
	}
	return inbound.FlowStart{URL: url, Binding: start.Binding, Outcome: outcomeStarted}, nil
}

// StartSignIn starts signing in with a provider.
type StartSignIn struct{ starter flowStarter }

var _ inbound.StartSignIn = (*StartSignIn)(nil)

// NewStartSignIn builds the use case.
func NewStartSignIn(rules SignInRules, providers outbound.IdentityProviders, flows outbound.FlowStateRepository,
	secrets outbound.Secrets, clock outbound.Clock) *StartSignIn {
	return &StartSignIn{starter: flowStarter{rules: rules, providers: providers, flows: flows, secrets: secrets, clock: clock}}
}

// Handle starts the flow.
func (uc *StartSignIn) Handle(ctx context.Context, cmd inbound.StartSignInCommand) (inbound.FlowStart, error) {
	return uc.starter.start(ctx, cmd.Provider, cmd.RedirectTo, user.ID{})
}

// StartLink starts linking a provider's identity to the signed-in caller.
type StartLink struct{ starter flowStarter }

var _ inbound.StartLink = (*StartLink)(nil)

// NewStartLink builds the use case.
func NewStartLink(rules SignInRules, providers outbound.IdentityProviders, flows outbound.FlowStateRepository,
	secrets outbound.Secrets, clock outbound.Clock) *StartLink {
	return &StartLink{starter: flowStarter{rules: rules, providers: providers, flows: flows, secrets: secrets, clock: clock}}
}

// Handle starts the flow; the callback links the identity to the caller.
func (uc *StartLink) Handle(ctx context.Context, cmd inbound.StartLinkCommand) (inbound.FlowStart, error) {
	return uc.starter.start(ctx, cmd.Provider, cmd.RedirectTo, cmd.Principal.User.ID())
}
