// Package oidctest runs a real OpenID provider for tests: the
// oauth2-proxy mockoidc server, on a loopback port, with its real
// discovery document, JWKS and RS256-signed ID tokens, wrapped so that a
// test can make it misbehave the ways a provider can (deny access, sign
// with a key it does not publish, hang, go away, rotate its key) and can
// shape each ID token (wrong nonce, audience or issuer, already expired).
package oidctest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
)

// Mode is how the provider behaves from now on.
type Mode int

const (
	// Normal: a well-behaved provider.
	Normal Mode = iota
	// DenyAccess: the authorization endpoint sends the browser back with
	// error=access_denied, as when the person declines.
	DenyAccess
	// BadSignature: ID tokens are signed with a key the JWKS does not
	// hold, under the kid of the one it does.
	BadSignature
	// Hang: every endpoint accepts the request and never answers.
	Hang
)

// User is the person the next authorization signs in, and how their ID
// token comes out.
type User struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
	// Token, when set, changes the ID token's registered claims before
	// signing (see WrongNonce, WrongAudience, WrongIssuer, Expired).
	Token func(*mockoidc.IDTokenClaims)
}

// Shapes of a bad ID token.
var (
	WrongNonce    = func(c *mockoidc.IDTokenClaims) { c.Nonce = "a nonce of another flow" }
	WrongAudience = func(c *mockoidc.IDTokenClaims) { c.Audience = jwt.ClaimStrings{"another-client"} }
	WrongIssuer   = func(c *mockoidc.IDTokenClaims) { c.Issuer = "https://issuer.invalid" }
	Expired       = func(c *mockoidc.IDTokenClaims) {
		c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-2 * time.Hour))
		c.NotBefore = c.IssuedAt
		c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
	}
)

// Provider is one running provider.
type Provider struct {
	m *mockoidc.MockOIDC
	// mu serialises requests (mockoidc's stores are not safe for
	// concurrent use) and guards the fields below.
	mu     sync.Mutex
	mode   Mode
	issued []string
	stop   chan struct{}
	once   sync.Once
	// rogue signs in BadSignature mode; rotated replaces the key on RotateKey.
	rogue, rotated *rsa.PrivateKey
	hung           chan struct{}
}

var (
	keysOnce sync.Once
	keys     [2]*rsa.PrivateKey
	keysErr  error
)

// rsaKeys are generated once per test binary: a key to rotate to, and a
// rogue key the provider never publishes.
func rsaKeys(t testing.TB) [2]*rsa.PrivateKey {
	keysOnce.Do(func() {
		for i := range keys {
			if keys[i], keysErr = rsa.GenerateKey(rand.Reader, 2048); keysErr != nil {
				return
			}
		}
	})
	if keysErr != nil {
		t.Fatalf("oidctest: generate keys: %v", keysErr)
	}
	return keys
}

// Start runs a provider until the test ends.
func Start(t testing.TB) *Provider {
	t.Helper()
	m, err := mockoidc.NewServer(nil) // the package's default RSA key
	if err != nil {
		t.Fatalf("oidctest: %v", err)
	}
	k := rsaKeys(t)
	p := &Provider{m: m, stop: make(chan struct{}), rotated: k[0], rogue: k[1], hung: make(chan struct{}, 16)}
	if err := m.AddMiddleware(p.middleware); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	return p
}

// Issuer is the provider's issuer URL, where discovery starts.
func (p *Provider) Issuer() string { return p.m.Issuer() }

// ClientID and ClientSecret are the credentials the provider accepts.
func (p *Provider) ClientID() string     { return p.m.ClientID }
func (p *Provider) ClientSecret() string { return p.m.ClientSecret }

// Next queues the person the next authorization signs in.
func (p *Provider) Next(u User) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m.QueueUser(&user{u})
}

// SetMode changes how the provider behaves.
func (p *Provider) SetMode(m Mode) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
}

// RotateKey makes the provider sign with a new key, published in its JWKS
// in place of the old one (and under a new kid).
func (p *Provider) RotateKey(t testing.TB) {
	kp, err := mockoidc.NewKeypair(p.rotated)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m.Keypair = kp
}

// Stop shuts the provider down: from then on it is unreachable (its port
// refuses connections). Requests left hanging are released.
func (p *Provider) Stop() {
	p.once.Do(func() {
		close(p.stop)
		_ = p.m.Shutdown()
	})
}

// Hanging receives once for each request the provider started to hang on
// in Hang mode.
func (p *Provider) Hanging() <-chan struct{} { return p.hung }

// Issued returns every token the provider handed out: access, refresh and
// ID tokens, which must never show up anywhere authd writes.
func (p *Provider) Issued() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.issued...)
}

func (p *Provider) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		mode := p.mode
		p.mu.Unlock()
		if mode == Hang {
			select {
			case p.hung <- struct{}{}:
			default:
			}
			select {
			case <-r.Context().Done():
			case <-p.stop:
			}
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		switch {
		case r.URL.Path == mockoidc.AuthorizationEndpoint && mode == DenyAccess:
			p.deny(w, r)
		case r.URL.Path == mockoidc.TokenEndpoint:
			p.token(w, r, next, mode)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// deny answers an authorization as a provider whose user declined.
func (p *Provider) deny(w http.ResponseWriter, r *http.Request) {
	back, err := url.Parse(r.URL.Query().Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	q := back.Query()
	q.Set("error", "access_denied")
	q.Set("state", r.URL.Query().Get("state"))
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token runs the real token endpoint, records what it issued, and in
// BadSignature mode re-signs the ID token with the rogue key.
func (p *Provider) token(w http.ResponseWriter, r *http.Request, next http.Handler, mode Mode) {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	var resp map[string]any
	if rec.Code == http.StatusOK && json.Unmarshal(body, &resp) == nil {
		for _, k := range []string{"access_token", "refresh_token", "id_token"} {
			if s, ok := resp[k].(string); ok && s != "" {
				p.issued = append(p.issued, s)
			}
		}
		if id, ok := resp["id_token"].(string); ok && mode == BadSignature {
			kid, _ := p.m.Keypair.KeyID()
			if forged, err := forge(id, kid, p.rogue); err == nil {
				resp["id_token"] = forged
				body, _ = json.Marshal(resp)
			}
		}
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	_, _ = bytes.NewReader(body).WriteTo(w)
}
