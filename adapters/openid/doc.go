// Package openid implements outbound.IdentityProviders with
// github.com/coreos/go-oidc/v3 and golang.org/x/oauth2: each configured
// provider is discovered from its discovery document on first use (and
// again after a failure), its keys are fetched from its jwks_uri and
// refetched when a token names a key not yet seen (rotation), the
// authorization URL carries state, nonce and an S256 PKCE challenge, and
// the ID token returned by the code exchange is verified by go-oidc
// (signature, issuer, audience, expiry), the nonce here. ID tokens are
// never verified by hand.
//
// Every call to a provider has a deadline, and a provider that is down or
// hangs only fails its own flows: discovery is shared by concurrent
// callers and bounded, and nothing holds a lock while waiting on the
// network. Failures are logged at most once a minute per provider and
// stage, without codes or tokens.
package openid
