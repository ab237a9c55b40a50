package openid

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"sort"
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

// Names lists the configured providers, sorted.
func (p *Providers) Names() []string {
	out := make([]string, 0, len(p.byName))
	for name := range p.byName {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// RedirectURI returns the redirect URI registered for the provider.
func (p *Providers) RedirectURI(name string) string {
	if r, ok := p.byName[name]; ok {
		return r.redirectURI
	}
	return ""
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

// discover returns the provider's endpoints and verifier, fetching the
// discovery document once for all concurrent callers. The fetch runs
// detached from any one caller (whose leaving must not fail the others)
// under the timeout; each caller waits at most until its own context ends.
func (p *Providers) discover(ctx context.Context, name string) (*remote, *discovered, error) {
	r, ok := p.byName[name]
	if !ok {
		return nil, nil, fmt.Errorf("%w: no provider %q", outbound.ErrProviderFailed, name)
	}
	r.mu.Lock()
	d := r.ready
	r.mu.Unlock()
	if d != nil {
		return r, d, nil
	}
	ch := r.discovery.DoChan("discover", func() (any, error) {
		ctx, cancel := context.WithTimeout(oidc.ClientContext(context.WithoutCancel(ctx), p.client), p.timeout)
		defer cancel()
		provider, err := oidc.NewProvider(ctx, r.Issuer)
		if err != nil {
			return nil, err
		}
		d := &discovered{
			oauth: oauth2.Config{
				ClientID: r.ClientID, ClientSecret: r.ClientSecret, Endpoint: provider.Endpoint(),
				RedirectURL: r.redirectURI, Scopes: r.Scopes,
			},
			verifier: provider.Verifier(&oidc.Config{ClientID: r.ClientID, Now: p.clock}),
		}
		r.mu.Lock()
		r.ready = d
		r.mu.Unlock()
		return d, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, nil, p.failed(name, "discovery", res.Err.Error())
		}
		return r, res.Val.(*discovered), nil
	case <-ctx.Done():
		return nil, nil, p.failed(name, "discovery", "the request ended while waiting for discovery")
	}
}

// maxReason bounds a logged reason: a provider's error page can be long.
const maxReason = 300

// failed logs the cause (throttled) and returns ErrProviderFailed.
func (p *Providers) failed(name, stage, reason string) error {
	if len(reason) > maxReason {
		reason = strings.ToValidUTF8(reason[:maxReason], "") + "…"
	}
	p.log.warn(name+"|"+stage, "identity provider failed",
		zap.String("provider", name), zap.String("stage", stage), zap.String("reason", reason))
	return fmt.Errorf("%w: %s: %s: %s", outbound.ErrProviderFailed, name, stage, reason)
}

// exchangeReason describes a failed code exchange without the response
// body, which may quote the code.
func exchangeReason(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		code := re.ErrorCode
		if code == "" {
			code = "unknown"
		}
		return fmt.Sprintf("the provider refused the code: HTTP %d, error %s", status, code)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer within the deadline"
	}
	// Transport errors name the token endpoint's URL, never the code,
	// which travels in the request body.
	return err.Error()
}

// verifyReason describes an ID token go-oidc refused. Its messages name
// issuers, audiences and times, never the token.
func verifyReason(err error) string {
	var expired *oidc.TokenExpiredError
	if errors.As(err, &expired) {
		return "the id token has expired"
	}
	return "the id token does not verify: " + err.Error()
}
