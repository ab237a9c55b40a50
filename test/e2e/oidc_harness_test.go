package e2e

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
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
	if _, ok := vars[envSessionsStore]; !ok {
		maps.Copy(vars, sharedSessionStoreEnv(t, vars[envDatabaseURL]))
	}
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
		server:  &server{URL: "http://" + srv.Addr(), Config: cfg, client: newValidatingClient(t, srv.Addr(), &http.Client{Timeout: 20 * time.Second})},
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
