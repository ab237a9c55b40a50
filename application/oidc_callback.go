package application

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// CompleteSignIn handles the provider's return: it checks the flow, has
// the provider's code redeemed and its ID token verified, and then signs
// the person in (by a known identity, by linking the account with the same
// verified email, or by creating one) or links the identity to the caller
// of a link flow.
type CompleteSignIn struct {
	rules     SignInRules
	providers outbound.IdentityProviders
	flows     outbound.FlowStateRepository
	tx        outbound.Transactor
	audit     outbound.AuditLog
	secrets   outbound.Secrets
	clock     outbound.Clock
	ids       outbound.IDGenerator
	events    eventFactory
	emails    outbound.EmailNormalizer
}

var _ inbound.CompleteSignIn = (*CompleteSignIn)(nil)

// NewCompleteSignIn builds the use case. log receives the events of failed
// sign-ins, which go with no other change.
func NewCompleteSignIn(rules SignInRules, providers outbound.IdentityProviders, flows outbound.FlowStateRepository,
	tx outbound.Transactor, log outbound.AuditLog, secrets outbound.Secrets, clock outbound.Clock, ids outbound.IDGenerator,
	emails outbound.EmailNormalizer) *CompleteSignIn {
	return &CompleteSignIn{
		rules: rules, providers: providers, flows: flows, tx: tx, audit: log, secrets: secrets,
		clock: clock, ids: ids, events: eventFactory{clock: clock, ids: ids}, emails: emails,
	}
}

// Handle spends the state first, whatever follows: a state is good for one
// callback. Without a usable state there is no trusted destination
// (ErrStateInvalid); from then on every failure is a redirect to the
// flow's destination with #error=.
func (uc *CompleteSignIn) Handle(ctx context.Context, cmd inbound.CompleteSignInCommand) (inbound.SignInResult, error) {
	if cmd.State == "" {
		return inbound.SignInResult{}, inbound.ErrStateInvalid
	}
	flow, err := uc.flows.Take(ctx, identity.HashSecret(cmd.State))
	if errors.Is(err, identity.ErrNotFound) {
		return inbound.SignInResult{}, inbound.ErrStateInvalid
	}
	if err != nil {
		return inbound.SignInResult{}, err
	}
	if flow.Expired(uc.clock.Now()) {
		return inbound.SignInResult{}, inbound.ErrStateInvalid
	}
	r := result{flow: flow}
	// The flow cookie proves this browser started the flow (login CSRF).
	if cmd.Provider != flow.Provider() || !flow.BoundTo(cmd.Binding) {
		return r.failed(codeStateInvalid), nil
	}
	policy, configured := uc.rules.Providers[flow.Provider()]
	switch {
	case cmd.ProviderError == codeAccessDenied:
		return r.failed(codeAccessDenied), nil
	case cmd.ProviderError != "", cmd.Code == "", !configured:
		return r.failed(codeProviderError), nil
	}
	claims, err := uc.providers.Redeem(ctx, flow.Provider(), outbound.CodeRedemption{
		Code: cmd.Code, Verifier: flow.Verifier(), Nonce: flow.Nonce(),
	})
	if errors.Is(err, outbound.ErrProviderFailed) {
		return r.failed(codeProviderError), nil
	}
	if err != nil {
		return inbound.SignInResult{}, err
	}
	claims.Email = uc.normalEmail(claims.Email)
	if linkUser, ok := flow.LinkUser(); ok {
		return uc.link(ctx, r, claims, linkUser, cmd.Client)
	}
	return uc.signIn(ctx, r, claims, policy, cmd.Client)
}

// normalEmail puts the provider's email into the form accounts store it,
// so that linking by email compares like with like (an IDN domain as
// A-labels); an address the normal form refuses (a look-alike) counts as no
// email at all.
func (uc *CompleteSignIn) normalEmail(raw string) string {
	if raw == "" {
		return ""
	}
	normal, err := uc.emails.Normalize(raw)
	if err != nil {
		return ""
	}
	return normal
}

// result builds the answers of one flow.
type result struct{ flow *identity.FlowState }

func (r result) failed(code string) inbound.SignInResult {
	return inbound.SignInResult{
		RedirectURL: identity.FrontEndURL(r.flow.RedirectTo(), "error", code),
		Outcome:     code, Provider: r.flow.Provider(),
	}
}

func (r result) done(key, value, outcome string) inbound.SignInResult {
	return inbound.SignInResult{
		RedirectURL: identity.FrontEndURL(r.flow.RedirectTo(), key, value),
		Outcome:     outcome, Provider: r.flow.Provider(),
	}
}

// errorCode is the #error= code of a sign-in rule's refusal, or "" for an
// error that is not one (a database outage: the caller returns it).
func errorCode(err error) string {
	switch {
	case errors.Is(err, identity.ErrAccountExists):
		return codeAccountExists
	case errors.Is(err, identity.ErrIdentityTaken):
		return codeIdentityTaken
	case errors.Is(err, user.ErrDisabled):
		return codeUserDisabled
	case errors.Is(err, identity.ErrSignupClosed):
		// The contract has no code of its own for this: the sign-in was
		// refused, as when the person declines at the provider.
		return codeAccessDenied
	case errors.Is(err, identity.ErrEmailMissing):
		return codeProviderError
	case errors.Is(err, user.ErrNotFound):
		// The caller of a link flow was deleted meanwhile.
		return codeStateInvalid
	}
	return ""
}

// conflictAttempts bounds the runs of a unit that lost a race: two
// callbacks creating one account, or linking one identity, at once. The
// second run sees the first's result and decides again.
const conflictAttempts = 2

// lostRace reports the errors a concurrent twin of the unit causes.
func lostRace(err error) bool {
	return errors.Is(err, user.ErrEmailTaken) || errors.Is(err, identity.ErrIdentityTaken)
}

// recordFailure writes the event of a refused sign-in of a known account.
// Losing it must not turn the redirect into a 500, so its error is dropped.
func (uc *CompleteSignIn) recordFailure(ctx context.Context, userID user.ID, provider, code string, client inbound.Client) {
	if userID.IsZero() {
		return
	}
	_ = uc.audit.Record(ctx, uc.events.new(audit.LoginFailed, userID, session.ID{}, client,
		map[string]string{"provider": provider, "reason": code}))
}
