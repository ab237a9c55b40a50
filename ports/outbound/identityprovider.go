package outbound

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/identity"
)

// ErrProviderFailed means an identity provider could not be used: it is
// unreachable or too slow, refused the code, or sent an ID token that does
// not verify (signature, issuer, audience, expiry or nonce). The flow ends
// with provider_error; the adapter logs the cause.
var ErrProviderFailed = errors.New("identity provider failed")

// AuthorizationRequest is what the authorization URL carries besides the
// client's own settings: the state, the nonce, and the PKCE verifier whose
// S256 challenge is sent.
type AuthorizationRequest struct {
	State    string
	Nonce    string
	Verifier string
}

// CodeRedemption is the provider's code with what the flow kept for it.
type CodeRedemption struct {
	Code     string
	Verifier string
	Nonce    string
}

// IdentityProviders speaks OpenID Connect to the configured providers, by
// name, so that the use cases never see an OAuth library. Every call has a
// deadline; a provider that is down fails with ErrProviderFailed and never
// holds up anything but its own flow.
type IdentityProviders interface {
	// AuthorizationURL is where to send the browser to sign in:
	// response_type=code, the client id, the redirect URI, the scopes,
	// state, nonce and the S256 PKCE challenge.
	AuthorizationURL(ctx context.Context, provider string, r AuthorizationRequest) (string, error)
	// Redeem exchanges the code (with the PKCE verifier) and verifies the
	// ID token with the provider's published keys: signature, iss, aud
	// (the client id), exp and the nonce. The provider's access and
	// refresh tokens are dropped.
	Redeem(ctx context.Context, provider string, r CodeRedemption) (identity.Claims, error)
}
