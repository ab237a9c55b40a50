package openid

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"go.uber.org/zap"
	"golang.org/x/oauth2"

	"github.com/authd/authd/ports/outbound"
)

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
