package application_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

const appURL = "https://app.example.com/signed-in"

// fakeProviders plays the provider: it hands out codes for the claims a
// test queues, and redeems a code only with the verifier and nonce of the
// authorization it was issued for, as a real provider binds them.
type fakeProviders struct {
	mu      sync.Mutex
	down    bool
	next    []identity.Claims
	pending map[string]pendingCode // by code
	// last is the state of the latest authorization, as the provider
	// would send it back.
	lastState string
	n         int
}

type pendingCode struct {
	req    outbound.AuthorizationRequest
	claims identity.Claims
}

func (f *fakeProviders) AuthorizationURL(_ context.Context, provider string, r outbound.AuthorizationRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return "", outbound.ErrProviderFailed
	}
	f.n++
	code := "code-" + strconv.Itoa(f.n)
	c := identity.Claims{Provider: provider, Subject: "sub-default", Email: "ada@example.com", EmailVerified: true, Name: "Ada"}
	if len(f.next) > 0 {
		c, f.next = f.next[0], f.next[1:]
		c.Provider = provider
	}
	if f.pending == nil {
		f.pending = map[string]pendingCode{}
	}
	f.pending[code] = pendingCode{req: r, claims: c}
	f.lastState = r.State
	return "https://idp.example/authorize?state=" + url.QueryEscape(r.State) + "&code_for_test=" + code, nil
}

func (f *fakeProviders) Redeem(_ context.Context, _ string, r outbound.CodeRedemption) (identity.Claims, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.pending[r.Code]
	if f.down || !ok || p.req.Verifier != r.Verifier || p.req.Nonce != r.Nonce {
		return identity.Claims{}, outbound.ErrProviderFailed
	}
	delete(f.pending, r.Code)
	return p.claims, nil
}

// queue sets the claims of the next authorizations.
func (f *fakeProviders) queue(c ...identity.Claims) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next = append(f.next, c...)
}

type randomSecrets struct {
	mu sync.Mutex
	n  int
}

func (s *randomSecrets) NewSecret() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return "secret-" + strconv.Itoa(s.n) + strings.Repeat("x", 33)
}

// oidcHarness adds the sign-in use cases to the harness.
type oidcHarness struct {
	*harness
	idp      *fakeProviders
	start    *application.StartSignIn
	startLnk *application.StartLink
	complete *application.CompleteSignIn
	exchange *application.ExchangeLoginCode
	list     *application.ListIdentities
	unlink   *application.UnlinkIdentity
}

func newOIDCHarness(t *testing.T, policy identity.Policy) *oidcHarness {
	t.Helper()
	h := newHarness(t)
	redirects, err := identity.NewRedirectAllowlist([]string{appURL})
	if err != nil {
		t.Fatal(err)
	}
	rules := application.SignInRules{Providers: map[string]identity.Policy{"google": policy, "other": policy}, Redirects: redirects}
	idp, secrets := &fakeProviders{}, &randomSecrets{}
	flows, tx := h.store.FlowStates(), h.store.Transactor()
	return &oidcHarness{
		harness: h, idp: idp,
		start:    application.NewStartSignIn(rules, idp, flows, secrets, h.clock),
		startLnk: application.NewStartLink(rules, idp, flows, secrets, h.clock),
		complete: application.NewCompleteSignIn(rules, idp, flows, tx, h.store.Audit(), secrets, h.clock, h.ids, h.emails),
		exchange: application.NewExchangeLoginCode(tx, h.access, h.tokens, h.clock, h.ids, h.settings.sessions, h.settings.verification),
		list:     application.NewListIdentities(h.store.Identities()),
		unlink:   application.NewUnlinkIdentity(tx, h.clock, h.ids),
	}
}

// flow is a started flow as the browser holds it.
type flow struct {
	binding, state, code string
}

func (h *oidcHarness) begin(t *testing.T, provider string) flow {
	t.Helper()
	s, err := h.start.Handle(context.Background(), inbound.StartSignInCommand{Provider: provider, RedirectTo: appURL})
	if err != nil || s.Binding == "" || s.Outcome != "started" {
		t.Fatalf("start: %+v, %v", s, err)
	}
	return h.asBrowser(t, s)
}

func (h *oidcHarness) asBrowser(t *testing.T, s inbound.FlowStart) flow {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return flow{binding: s.Binding, state: u.Query().Get("state"), code: u.Query().Get("code_for_test")}
}

// back is the provider's redirect to the callback, with the browser's cookie.
func (h *oidcHarness) back(t *testing.T, f flow) (inbound.SignInResult, error) {
	t.Helper()
	return h.complete.Handle(context.Background(), inbound.CompleteSignInCommand{
		Provider: "google", State: f.state, Code: f.code, Binding: f.binding,
	})
}

// fragment returns the key and value of a result's fragment.
func fragment(t *testing.T, r inbound.SignInResult) (string, string) {
	t.Helper()
	before, frag, ok := strings.Cut(r.RedirectURL, "#")
	if !ok || before != appURL {
		t.Fatalf("redirect %q does not go back to the front end with a fragment", r.RedirectURL)
	}
	k, v, _ := strings.Cut(frag, "=")
	return k, v
}

func wantError(t *testing.T, r inbound.SignInResult, err error, code string) {
	t.Helper()
	if err != nil {
		t.Fatalf("callback: %v", err)
	}
	if k, v := fragment(t, r); k != "error" || v != code || r.Outcome != code {
		t.Fatalf("result %+v, want #error=%s", r, code)
	}
}

// signIn runs a whole flow and exchanges the code.
func (h *oidcHarness) signIn(t *testing.T, c identity.Claims) (inbound.SignInResult, inbound.TokenPair) {
	t.Helper()
	h.idp.queue(c)
	r, err := h.back(t, h.begin(t, "google"))
	if err != nil {
		t.Fatal(err)
	}
	k, code := fragment(t, r)
	if k != "code" {
		t.Fatalf("sign-in ended with %s", r.RedirectURL)
	}
	pair, err := h.exchange.Handle(context.Background(), inbound.ExchangeLoginCodeCommand{Code: code})
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return r, pair
}
