package e2e

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite" // the "sqlite" database/sql driver
	"go.uber.org/fx"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/config"
	"github.com/authd/authd/test/oidctest"
	"github.com/authd/authd/test/pgtest"
)

// frontEnd is the front-end URL the sign-in flows return to; nothing
// listens there: the browser stops when it is sent to it.
const frontEnd = "https://app.example.com/signed-in"

// oidcServer is authd configured with identity providers, its whole log
// captured, and the database it runs on.
type oidcServer struct {
	*server
	dialect string
	dbURL   string
	logs    *observer.ObservedLogs

	mu sync.Mutex
	// issued are the access and refresh tokens authd handed out.
	issued []string
}

// record keeps the tokens of a token response for the leak checks.
func (s *oidcServer) record(r response) {
	var tr tokenResponse
	if json.Unmarshal(r.Body, &tr) != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tok := range []string{tr.AccessToken, tr.RefreshToken} {
		if tok != "" {
			s.issued = append(s.issued, tok)
		}
	}
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if strings.Contains(c.Name, "refresh") && c.Value != "" {
			s.issued = append(s.issued, c.Value)
		}
	}
}

// storeDialects are the databases every sign-in flow is run on.
var storeDialects = []string{"sqlite", "postgres"}

// startOIDC starts authd on a fresh database of the dialect, with the
// providers section (YAML under oidc.providers, indented four spaces) and
// env over baseEnv. The public URL is authd's own address, which is picked
// before start so that providers can send the browser back to it.
func startOIDC(t *testing.T, dialect, providers string, env map[string]string) *oidcServer {
	t.Helper()
	addr := freeAddr(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "authd.yaml")
	yaml := fmt.Sprintf("http:\n  public_url: http://%s\noidc:\n  allowed_redirects:\n    - %s\n  providers:\n%s", addr, frontEnd, providers)
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := baseEnv()
	vars["AUTHD_HTTP_ADDR"] = addr
	vars["AUTHD_LOG_LEVEL"] = "debug"
	vars[envKeysDir] = filepath.Join(dir, "keys")
	if dialect == "sqlite" {
		vars[envDatabaseURL] = "sqlite://" + filepath.Join(dir, "authd.db")
	} else {
		vars[envDatabaseURL] = pgtest.NewDatabaseURL(t)
	}
	maps.Copy(vars, env)
	cfg, err := config.LoadFrom(file, func(key string) (string, bool) {
		v, ok := vars[key]
		return v, ok
	})
	if err != nil {
		t.Fatalf("config: %v", err)
	}

	// Every line at every level is kept for the leak checks; errors also
	// go to the test log.
	core, logs := observer.New(zapcore.DebugLevel)
	capture := fx.Decorate(func(*zap.Logger) *zap.Logger {
		errorsToTest := zaptest.NewLogger(t, zaptest.Level(zapcore.ErrorLevel)).Core()
		return zap.New(zapcore.NewTee(core, errorsToTest))
	})
	var srv *wiring.Server
	app := wiring.New(cfg, capture, fx.Populate(&srv))
	ctx, cancel := context.WithTimeout(context.Background(), lifecycleTimeout)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		t.Fatalf("start authd: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), lifecycleTimeout)
		defer cancel()
		if err := app.Stop(ctx); err != nil {
			t.Errorf("stop authd: %v", err)
		}
	})
	return &oidcServer{
		server:  &server{URL: "http://" + srv.Addr(), Config: cfg, client: &http.Client{Timeout: 20 * time.Second}},
		dialect: dialect, dbURL: vars[envDatabaseURL], logs: logs,
	}
}

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// providerYAML is one provider's section.
func providerYAML(name, issuer, clientID, clientSecret string, linkByEmail, allowSignup bool) string {
	return fmt.Sprintf("    %s:\n      issuer: %s\n      client_id: %s\n      client_secret: %s\n      link_by_email: %t\n      allow_signup: %t\n",
		name, issuer, clientID, clientSecret, linkByEmail, allowSignup)
}

// exec runs one statement on the server's database, as an operator would.
func (s *oidcServer) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	driver, dsn := "pgx", s.dbURL
	if s.dialect == "sqlite" {
		driver, dsn = "sqlite", strings.TrimPrefix(s.dbURL, "sqlite://")+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// browser follows redirects one hop at a time and keeps cookies as a
// browser does (loopback counts as a secure origin, so __Secure- cookies
// work over http://127.0.0.1). It records every Location it is sent to.
type browser struct {
	client    *http.Client
	mu        sync.Mutex
	locations []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{client: &http.Client{
		Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
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

// identities lists the caller's identities.
func (s *oidcServer) identities(t *testing.T, accessToken string) []map[string]any {
	t.Helper()
	r := s.do(t, http.MethodGet, "/v1/auth/identities", nil, bearer(accessToken))
	r.wantStatus(t, http.StatusOK)
	var body struct {
		Identities []map[string]any `json:"identities"`
	}
	r.decode(t, &body)
	return body.Identities
}

// link starts a link flow for the caller and follows it in the browser.
func (b *browser) link(t *testing.T, s *oidcServer, provider, accessToken string) (string, string) {
	t.Helper()
	r := b.hop(t, http.MethodPost, s.URL+"/v1/auth/oidc/"+provider+"/link", map[string]any{"redirectTo": frontEnd}, bearer(accessToken))
	r.wantStatus(t, http.StatusOK)
	var body struct {
		AuthorizeURL string `json:"authorizeUrl"`
	}
	r.decode(t, &body)
	if strings.HasPrefix(body.AuthorizeURL, frontEnd) {
		return fragmentOf(t, body.AuthorizeURL)
	}
	_, dest := b.navigate(t, body.AuthorizeURL)
	if dest == "" {
		t.Fatal("the link flow did not return to the front end")
	}
	return fragmentOf(t, dest)
}

// provider is the mockoidc user shape most tests use.
func person(sub, email string, verified bool) oidctest.User {
	return oidctest.User{Subject: sub, Email: email, EmailVerified: verified, Name: "Person " + sub}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
