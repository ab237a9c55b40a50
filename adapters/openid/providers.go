package openid

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"go.uber.org/zap"
	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/ports/outbound"
)

// DefaultTimeout bounds each call to a provider when Config.Timeout is 0.
const DefaultTimeout = 10 * time.Second

// Provider is one configured provider.
type Provider struct {
	// Name is the provider's name in authd's URLs and configuration.
	Name         string
	Issuer       string
	ClientID     string
	ClientSecret string
	Scopes       []string
}

// Config configures the providers.
type Config struct {
	// PublicURL is authd's external origin; a provider's redirect URI is
	// PublicURL + "/v1/auth/oidc/" + name + "/callback".
	PublicURL string
	// Timeout bounds every call to a provider (DefaultTimeout when 0).
	Timeout   time.Duration
	Providers []Provider
}

// Providers speaks to the configured providers.
type Providers struct {
	byName  map[string]*remote
	client  *http.Client
	timeout time.Duration
	clock   func() time.Time
	log     *throttledLog
}

var _ outbound.IdentityProviders = (*Providers)(nil)

// remote is one provider and, once discovered, its endpoints and keys.
type remote struct {
	Provider
	redirectURI string
	discovery   singleflight.Group
	mu          sync.Mutex
	ready       *discovered // nil until discovery succeeds
}

type discovered struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// New checks cfg and returns the providers; it contacts none of them.
// clock tells the time ID tokens are checked against; log (nil: none)
// receives the throttled failure lines.
func New(cfg Config, clock outbound.Clock, log *zap.Logger) (*Providers, error) {
	if log == nil {
		log = zap.NewNop()
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	base := strings.TrimSuffix(cfg.PublicURL, "/")
	p := &Providers{
		byName: make(map[string]*remote, len(cfg.Providers)),
		// The client's own timeout also bounds the key set's background
		// refreshes, which go-oidc runs without the caller's deadline.
		client:  &http.Client{Timeout: timeout, Transport: http.DefaultTransport.(*http.Transport).Clone()},
		timeout: timeout,
		clock:   clock.Now,
		log:     newThrottledLog(log, time.Minute),
	}
	for _, pr := range cfg.Providers {
		if !identity.ValidProviderName(pr.Name) || pr.Issuer == "" || pr.ClientID == "" {
			return nil, fmt.Errorf("openid: provider %q needs a valid name, an issuer and a client id", pr.Name)
		}
		if base == "" {
			return nil, errors.New("openid: the public URL is required for the redirect URI")
		}
		if _, dup := p.byName[pr.Name]; dup {
			return nil, fmt.Errorf("openid: provider %q is configured twice", pr.Name)
		}
		p.byName[pr.Name] = &remote{Provider: pr, redirectURI: base + "/v1/auth/oidc/" + pr.Name + "/callback"}
	}
	return p, nil
}

// AuthorizationURL discovers the provider if needed and builds the URL.
func (p *Providers) AuthorizationURL(ctx context.Context, name string, req outbound.AuthorizationRequest) (string, error) {
	_, d, err := p.discover(ctx, name)
	if err != nil {
		return "", err
	}
	return d.oauth.AuthCodeURL(req.State, oidc.Nonce(req.Nonce), oauth2.S256ChallengeOption(req.Verifier)), nil
}

// Redeem exchanges the code and verifies the ID token. The provider's
// access and refresh tokens are dropped here and go nowhere.
func (p *Providers) Redeem(ctx context.Context, name string, req outbound.CodeRedemption) (identity.Claims, error) {
	r, d, err := p.discover(ctx, name)
	if err != nil {
		return identity.Claims{}, err
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, p.client), p.timeout)
	defer cancel()
	tok, err := d.oauth.Exchange(ctx, req.Code, oauth2.VerifierOption(req.Verifier))
	if err != nil {
		return identity.Claims{}, p.failed(r.Name, "token exchange", exchangeReason(err))
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return identity.Claims{}, p.failed(r.Name, "id token", "the token response has no id_token")
	}
	idt, err := d.verifier.Verify(ctx, raw)
	if err != nil {
		return identity.Claims{}, p.failed(r.Name, "id token", verifyReason(err))
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(req.Nonce)) != 1 {
		return identity.Claims{}, p.failed(r.Name, "id token", "the nonce is not the flow's")
	}
	var c struct {
		Email         string `json:"email"`
		EmailVerified any    `json:"email_verified"`
		Name          string `json:"name"`
	}
	if err := idt.Claims(&c); err != nil {
		return identity.Claims{}, p.failed(r.Name, "id token", "its claims do not decode")
	}
	return identity.Claims{
		Provider: r.Name, Subject: idt.Subject, Email: c.Email,
		// Some providers send the boolean as a string.
		EmailVerified: c.EmailVerified == true || c.EmailVerified == "true",
		Name:          c.Name,
	}, nil
}
