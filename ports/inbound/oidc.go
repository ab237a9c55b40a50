package inbound

import "github.com/authd/authd/domain/identity"

// Signing in with an OpenID Connect provider. A flow starts (StartSignIn,
// or StartLink for a signed-in caller), the provider sends the browser
// back (CompleteSignIn), and the front end trades the one-time login code
// it received in the URL fragment for tokens (ExchangeLoginCode).

// StartSignInCommand asks to sign in with the named provider and come back
// to RedirectTo, a front-end URL the allow-list must accept.
type StartSignInCommand struct {
	Provider   string
	RedirectTo string
	Client     Client
}

// StartLinkCommand asks to link an identity of the named provider to the
// caller and come back to RedirectTo.
type StartLinkCommand struct {
	Principal  Principal
	Provider   string
	RedirectTo string
}

// FlowStart is where a started flow sends the browser. URL is the
// provider's authorization URL, or, when the provider cannot be reached,
// RedirectTo with #error=provider_error. Binding is the secret the browser
// must keep in the flow cookie (empty when no flow was started). Outcome
// is "started" or "provider_error", for metrics.
type FlowStart struct {
	URL     string
	Binding string
	Outcome string
}

// StartSignIn fails with ErrUnknownProvider and ErrRedirectNotAllowed.
type StartSignIn = Handler[StartSignInCommand, FlowStart]

// StartLink fails like StartSignIn.
type StartLink = Handler[StartLinkCommand, FlowStart]

// CompleteSignInCommand is the provider's answer: the query parameters
// state, code and error of the callback, with the flow cookie the browser
// sent (Binding, empty without one) and the provider named in the path.
type CompleteSignInCommand struct {
	Provider      string
	State         string
	Code          string
	ProviderError string
	Binding       string
	Client        Client
}

// SignInResult is where the callback sends the browser: the flow's
// RedirectTo with #code=, #linked= or #error= (never a token). Outcome
// names what happened, for metrics: "login", "signup", "linked_by_email",
// "linked", or the error code of a failure; Provider is the flow's.
type SignInResult struct {
	RedirectURL string
	Outcome     string
	Provider    string
}

// CompleteSignIn fails with ErrStateInvalid when the state is unknown,
// spent or expired: then there is no trusted destination to redirect to.
// Every other failure is a redirect with #error=.
type CompleteSignIn = Handler[CompleteSignInCommand, SignInResult]

// ExchangeLoginCodeCommand presents a one-time login code.
type ExchangeLoginCodeCommand struct {
	Code   string
	Client Client
}

// ExchangeLoginCode opens a session for the code's user and answers its
// tokens. An unknown, spent or expired code fails with
// onetime.ErrInvalid; a disabled account with user.ErrDisabled.
type ExchangeLoginCode = Handler[ExchangeLoginCodeCommand, TokenPair]

// ListIdentitiesQuery asks for the caller's linked identities.
type ListIdentitiesQuery struct {
	Principal Principal
}

// ListIdentities returns the caller's identities, oldest first.
type ListIdentities = Handler[ListIdentitiesQuery, []*identity.Identity]

// UnlinkIdentityCommand names one of the caller's identities.
type UnlinkIdentityCommand struct {
	Principal  Principal
	IdentityID identity.ID
}

// UnlinkIdentity fails with identity.ErrNotFound (also for another user's
// identity) and identity.ErrLastSignInMethod.
type UnlinkIdentity = CommandHandler[UnlinkIdentityCommand]
