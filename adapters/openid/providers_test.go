package openid_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/authd/authd/adapters/openid"
	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/oidctest"
)

const publicURL = "https://auth.example.com"

func newProviders(t *testing.T, idp *oidctest.Provider, issuer string, timeout time.Duration) (*openid.Providers, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	p, err := openid.New(openid.Config{
		PublicURL: publicURL, Timeout: timeout,
		Providers: []openid.Provider{{
			Name: "test", Issuer: issuer, ClientID: idp.ClientID(), ClientSecret: idp.ClientSecret(),
			Scopes: []string{"openid", "email", "profile"},
		}},
	}, system.Clock{}, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	return p, logs
}

var noRedirects = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// authorize plays the browser at the provider and returns the query of
// the redirect back to authd.
func authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	res, err := noRedirects.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), publicURL+"/v1/auth/oidc/test/callback?") {
		t.Fatalf("authorization answered %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	return loc.Query()
}

func request() outbound.AuthorizationRequest {
	return outbound.AuthorizationRequest{
		State: "state-abcdefghijklmnopqrstuvwxyz0123456789", Nonce: "nonce-0123456789abcdefghijklmnopqrstuvwxyz",
		Verifier: "verifier-0123456789abcdefghijklmnopqrstuvwxyz",
	}
}

func TestTheAuthorizationURLCarriesEverythingTheContractNames(t *testing.T) {
	idp := oidctest.Start(t)
	p, _ := newProviders(t, idp, idp.Issuer(), 5*time.Second)
	raw, err := p.AuthorizationURL(context.Background(), "test", request())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(raw)
	q := u.Query()
	sum := sha256.Sum256([]byte(request().Verifier))
	want := map[string]string{
		"response_type": "code", "client_id": idp.ClientID(), "redirect_uri": publicURL + "/v1/auth/oidc/test/callback",
		"scope": "openid email profile", "state": request().State, "nonce": request().Nonce,
		"code_challenge": base64.RawURLEncoding.EncodeToString(sum[:]), "code_challenge_method": "S256",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if !strings.HasPrefix(raw, idp.Issuer()+"/authorize?") {
		t.Errorf("authorization endpoint %q is not the discovered one", raw)
	}
	if strings.Contains(raw, request().Verifier) {
		t.Error("the PKCE verifier itself is in the URL")
	}
}

func TestRedeemVerifiesTheIDTokenAndReturnsItsClaims(t *testing.T) {
	idp := oidctest.Start(t)
	p, _ := newProviders(t, idp, idp.Issuer(), 5*time.Second)
	ctx := context.Background()
	idp.Next(oidctest.User{Subject: "s-1", Email: "ada@example.com", EmailVerified: true, Name: "Ada Lovelace"})
	raw, err := p.AuthorizationURL(ctx, "test", request())
	if err != nil {
		t.Fatal(err)
	}
	back := authorize(t, raw)
	c, err := p.Redeem(ctx, "test", outbound.CodeRedemption{Code: back.Get("code"), Verifier: request().Verifier, Nonce: request().Nonce})
	if err != nil {
		t.Fatal(err)
	}
	if c.Provider != "test" || c.Subject != "s-1" || c.Email != "ada@example.com" || !c.EmailVerified || c.Name != "Ada Lovelace" {
		t.Fatalf("claims %+v", c)
	}

	// A wrong PKCE verifier is refused by the provider.
	raw, _ = p.AuthorizationURL(ctx, "test", request())
	back = authorize(t, raw)
	_, err = p.Redeem(ctx, "test", outbound.CodeRedemption{Code: back.Get("code"), Verifier: "another-verifier-0123456789abcdefghijklmno", Nonce: request().Nonce})
	if !errors.Is(err, outbound.ErrProviderFailed) {
		t.Fatalf("wrong verifier: err = %v", err)
	}
}

func TestBadIDTokensAreRefused(t *testing.T) {
	cases := map[string]struct {
		token func(*oidctest.User)
		mode  oidctest.Mode
		why   string
	}{
		"wrong nonce":    {func(u *oidctest.User) { u.Token = oidctest.WrongNonce }, oidctest.Normal, "nonce"},
		"wrong audience": {func(u *oidctest.User) { u.Token = oidctest.WrongAudience }, oidctest.Normal, "audience"},
		"wrong issuer":   {func(u *oidctest.User) { u.Token = oidctest.WrongIssuer }, oidctest.Normal, "issue"},
		"expired":        {func(u *oidctest.User) { u.Token = oidctest.Expired }, oidctest.Normal, "expired"},
		"bad signature":  {func(*oidctest.User) {}, oidctest.BadSignature, "signature"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			idp := oidctest.Start(t)
			p, logs := newProviders(t, idp, idp.Issuer(), 5*time.Second)
			u := oidctest.User{Subject: "s-1", Email: "ada@example.com", EmailVerified: true}
			tc.token(&u)
			idp.Next(u)
			idp.SetMode(tc.mode)
			raw, err := p.AuthorizationURL(context.Background(), "test", request())
			if err != nil {
				t.Fatal(err)
			}
			back := authorize(t, raw)
			_, err = p.Redeem(context.Background(), "test", outbound.CodeRedemption{Code: back.Get("code"), Verifier: request().Verifier, Nonce: request().Nonce})
			if !errors.Is(err, outbound.ErrProviderFailed) {
				t.Fatalf("err = %v, want ErrProviderFailed", err)
			}
			entries := logs.All()
			if len(entries) != 1 || !strings.Contains(entries[0].ContextMap()["reason"].(string), tc.why) {
				t.Fatalf("logged %v, want one line whose reason mentions %q", entries, tc.why)
			}
			for _, tok := range append(idp.Issued(), back.Get("code")) {
				if strings.Contains(entries[0].Message+err.Error(), tok) || strings.Contains(entries[0].ContextMap()["reason"].(string), tok) {
					t.Fatal("a token or code reached the log line or the error")
				}
			}
		})
	}
}

func TestTheProvidersKeyRotationIsFollowed(t *testing.T) {
	idp := oidctest.Start(t)
	p, _ := newProviders(t, idp, idp.Issuer(), 5*time.Second)
	ctx := context.Background()
	signIn := func() error {
		raw, err := p.AuthorizationURL(ctx, "test", request())
		if err != nil {
			return err
		}
		back := authorize(t, raw)
		_, err = p.Redeem(ctx, "test", outbound.CodeRedemption{Code: back.Get("code"), Verifier: request().Verifier, Nonce: request().Nonce})
		return err
	}
	if err := signIn(); err != nil {
		t.Fatal(err)
	}
	idp.RotateKey(t) // a new key under a new kid: the cached key set must be refreshed
	if err := signIn(); err != nil {
		t.Fatalf("after the provider rotated its key: %v", err)
	}
}

func TestAnUnreachableProviderFailsFastAndRecovers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	idp := oidctest.Start(t)
	p, logs := newProviders(t, idp, "http://"+addr+"/oidc", 5*time.Second)
	for range 3 {
		if _, err := p.AuthorizationURL(context.Background(), "test", request()); !errors.Is(err, outbound.ErrProviderFailed) {
			t.Fatalf("err = %v, want ErrProviderFailed", err)
		}
	}
	if n := logs.Len(); n != 1 {
		t.Fatalf("%d log lines for three failures, want 1 (throttled)", n)
	}
}

func TestAHangingProviderIsCutOffAtTheDeadline(t *testing.T) {
	idp := oidctest.Start(t)
	idp.SetMode(oidctest.Hang)
	p, _ := newProviders(t, idp, idp.Issuer(), 300*time.Millisecond)
	start := time.Now()
	if _, err := p.AuthorizationURL(context.Background(), "test", request()); !errors.Is(err, outbound.ErrProviderFailed) {
		t.Fatalf("err = %v, want ErrProviderFailed", err)
	}
	// Generous bound: the point is that it returns, not how fast.
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("took %v", took)
	}
	// Discovery is retried once the provider answers again.
	idp.SetMode(oidctest.Normal)
	if _, err := p.AuthorizationURL(context.Background(), "test", request()); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestNewRefusesIncompleteProviders(t *testing.T) {
	for _, pr := range []openid.Provider{
		{Name: "Bad Name", Issuer: "https://x", ClientID: "c"},
		{Name: "x", ClientID: "c"},
		{Name: "x", Issuer: "https://x"},
	} {
		if _, err := openid.New(openid.Config{PublicURL: publicURL, Providers: []openid.Provider{pr}}, system.Clock{}, nil); err == nil {
			t.Errorf("%+v accepted", pr)
		}
	}
	if _, err := openid.New(openid.Config{Providers: []openid.Provider{{Name: "x", Issuer: "https://x", ClientID: "c"}}}, system.Clock{}, nil); err == nil {
		t.Error("a provider without a public URL accepted")
	}
}
