package e2e

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// browser follows redirects one hop at a time and keeps cookies as a
// browser does (loopback counts as a secure origin, so __Secure- cookies
// work over http://127.0.0.1). It records every Location it is sent to.
type browser struct {
	client    *http.Client
	mu        sync.Mutex
	locations []string
}

// newBrowser returns a browser whose exchanges with the authd at authdURL
// are validated against the OpenAPI document like every other e2e request
// (the provider's are not: it is not authd).
func newBrowser(t *testing.T, authdURL string) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(authdURL)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{client: newValidatingClient(t, u.Host, &http.Client{
		Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	})}
}

// hop sends one request and returns the response, body read.
func (b *browser) hop(t *testing.T, method, rawURL string, body any, opts ...reqOption) response {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, nil)
	if body != nil {
		req, err = http.NewRequest(method, rawURL, strings.NewReader(mustJSON(t, body)))
		req.Header.Set("Content-Type", "application/json")
	}
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "authd-e2e-browser")
	for _, o := range opts {
		o(req)
	}
	r := send(t, b.client, req)
	if loc := r.Header.Get("Location"); loc != "" {
		b.mu.Lock()
		b.locations = append(b.locations, loc)
		b.mu.Unlock()
	}
	return r
}

// navigate follows the redirects from rawURL until a response is not a
// redirect or sends the browser to the front end, and returns the last
// response and the URL it points to (the front end's, with its fragment,
// or "").
func (b *browser) navigate(t *testing.T, rawURL string) (response, string) {
	t.Helper()
	for range 10 {
		r := b.hop(t, http.MethodGet, rawURL, nil)
		if r.Status != http.StatusFound {
			return r, ""
		}
		loc := r.Header.Get("Location")
		if strings.HasPrefix(loc, frontEnd) {
			return r, loc
		}
		rawURL = loc
	}
	t.Fatal("more than 10 redirects")
	return response{}, ""
}

// signIn starts a sign-in with provider and returns where the flow ends:
// the key and value of the front end's fragment ("code", "error", ...).
func (b *browser) signIn(t *testing.T, s *oidcServer, provider string) (string, string) {
	t.Helper()
	r, dest := b.navigate(t, s.URL+"/v1/auth/oidc/"+provider+"/authorize?redirect_to="+url.QueryEscape(frontEnd))
	if dest == "" {
		t.Fatalf("the flow did not return to the front end: %d %s", r.Status, r.Body)
	}
	return fragmentOf(t, dest)
}

// fragmentOf splits frontEnd#key=value.
func fragmentOf(t *testing.T, dest string) (string, string) {
	t.Helper()
	rest, ok := strings.CutPrefix(dest, frontEnd+"#")
	if !ok {
		t.Fatalf("destination %q is not the front end with a fragment", dest)
	}
	k, v, _ := strings.Cut(rest, "=")
	v, err := url.QueryUnescape(v)
	if err != nil {
		t.Fatal(err)
	}
	return k, v
}

// exchange is the front end's POST of the login code.
func (b *browser) exchange(t *testing.T, s *oidcServer, code string) response {
	t.Helper()
	r := b.hop(t, http.MethodPost, s.URL+"/v1/auth/oidc/exchange", map[string]any{"code": code})
	s.record(r)
	return r
}

// signInOK runs a sign-in that must end with a login code, and exchanges it.
func (b *browser) signInOK(t *testing.T, s *oidcServer, provider string) tokenResponse {
	t.Helper()
	k, v := b.signIn(t, s, provider)
	if k != "code" {
		t.Fatalf("sign-in ended with #%s=%s", k, v)
	}
	return b.exchange(t, s, v).tokens(t, http.StatusOK)
}
