package e2e

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/config"
	"github.com/authd/authd/test/pgtest"
	"github.com/authd/authd/test/smtptest"
)

// appURL is the front end the mailed links open in these tests.
const appURL = "https://app.example.com"

// mailWait bounds how long a test waits for a message.
const mailWait = 15 * time.Second

// startMailServer starts a real SMTP server for authd to deliver to: it
// offers STARTTLS with a certificate from its own CA and requires
// authentication, and authd is told to insist on both.
func startMailServer(t *testing.T) *smtptest.Server {
	return smtptest.Start(t, smtptest.Options{STARTTLS: true, Username: "authd", Password: "smtp-Pass-w0rd"})
}

// mailEnv configures authd to send through s (STARTTLS required), with
// per-address limits generous enough for a flow to mail one address
// several times; each test about limits sets its own.
func mailEnv(s *smtptest.Server, extra map[string]string) map[string]string {
	env := map[string]string{
		"AUTHD_MAIL_SMTP_URL":                    s.URL("starttls=required"),
		"AUTHD_MAIL_FROM":                        "authd <no-reply@auth.example.com>",
		"AUTHD_APP_URL":                          appURL,
		"AUTHD_RATELIMIT_MAIL_PER_ADDRESS_BURST": "100/1m",
		"AUTHD_RATELIMIT_MAIL_PER_ADDRESS":       "100/1h",
	}
	maps.Copy(env, extra)
	return env
}

// trusting makes authd trust the test server's CA for SMTP.
func trusting(s *smtptest.Server) fx.Option {
	return fx.Supply(&wiring.MailTLS{RootCAs: s.RootCAs()})
}

var (
	tokenInLink = regexp.MustCompile(`#token=([A-Za-z0-9_-]{43})\b`)
	sixDigits   = regexp.MustCompile(`(?m)^\s*([0-9]{6})\s*$`)
)

// mailed is one received message with its link token and code read from
// the text body.
type mailed struct {
	smtptest.Message
	Link, Token, Code string
}

// awaitMail waits until n messages to `to` with the subject have arrived
// and returns the last one.
func awaitMail(t *testing.T, s *smtptest.Server, to, subject string, n int) mailed {
	t.Helper()
	deadline := time.Now().Add(mailWait)
	for {
		var found []smtptest.Message
		for _, m := range s.Messages() {
			if len(m.To) == 1 && m.To[0] == to && m.Subject == subject {
				found = append(found, m)
			}
		}
		if len(found) >= n {
			return parseMailed(t, found[n-1])
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d %q mails to %s after %s, want %d", len(found), subject, to, mailWait, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func parseMailed(t *testing.T, m smtptest.Message) mailed {
	t.Helper()
	out := mailed{Message: m}
	if link := regexp.MustCompile(`https?://\S+`).FindString(m.Text); link != "" {
		out.Link = link
	}
	if mm := tokenInLink.FindStringSubmatch(m.Text); mm != nil {
		out.Token = mm[1]
	}
	if mm := sixDigits.FindStringSubmatch(m.Text); mm != nil {
		out.Code = mm[1]
	}
	return out
}

// The fixed subjects of the embedded templates.
const (
	subjectVerify      = "Verify your email address"
	subjectReset       = "Reset your password"
	subjectConfirm     = "Confirm your new email address"
	subjectChangeAsked = "Your email address is about to change"
	subjectChanged     = "Your email address was changed"
)

// post sends a JSON body to path.
func (s *server) post(t testing.TB, path string, body any, opts ...reqOption) response {
	t.Helper()
	return s.do(t, http.MethodPost, path, body, opts...)
}

// userOf decodes a {"user": User} answer after checking the status.
func (r response) userOf(t testing.TB, status int) userBody {
	t.Helper()
	r.wantStatus(t, status)
	var body struct {
		User userBody `json:"user"`
	}
	r.decode(t, &body)
	if body.User.ID == "" {
		t.Fatalf("no user in %s", r.Body)
	}
	return body.User
}

// logCapture keeps every log line of an application, at every level, as
// zap's JSON encoder writes it.
type logCapture struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *logCapture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Write(p)
}

func (c *logCapture) Sync() error { return nil }

func (c *logCapture) lines() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Split(strings.TrimSpace(c.buf.String()), "\n")
}

// instance is an application a test starts and stops itself.
type instance struct {
	*server
	stop func()
}

// startInstance is startServer for tests that stop the application
// themselves (a restart) or read every log line it writes: logs, when not
// nil, receives all of them at debug level, JSON-encoded as in production.
func startInstance(t testing.TB, env map[string]string, logs *logCapture, opts ...fx.Option) *instance {
	t.Helper()
	vars := baseEnv()
	maps.Copy(vars, env)
	if _, ok := vars[envDatabaseURL]; !ok {
		vars[envDatabaseURL] = pgtest.NewDatabaseURL(t)
	}
	if _, ok := vars[envKeysDir]; !ok {
		vars[envKeysDir] = t.TempDir()
	}
	if _, ok := vars[envSessionsStore]; !ok {
		maps.Copy(vars, sharedSessionStoreEnv(t, vars[envDatabaseURL]))
	}
	cfg, err := config.LoadFrom("", func(key string) (string, bool) { v, ok := vars[key]; return v, ok })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	logger := fx.Decorate(func(*zap.Logger) *zap.Logger { return zap.NewNop() }) // benchmarks
	if tt, ok := t.(*testing.T); ok {
		logger = quietLogs(tt)
	}
	if logs != nil {
		logger = fx.Decorate(func(*zap.Logger) *zap.Logger {
			enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
			return zap.New(zapcore.NewCore(enc, logs, zapcore.DebugLevel))
		})
	}
	var srv *wiring.Server
	app := fx.New(wiring.Options(cfg), fx.Options(opts...), logger, fx.Populate(&srv), fx.NopLogger)
	ctx, cancel := context.WithTimeout(context.Background(), lifecycleTimeout)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		t.Fatalf("start authd: %v", err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), lifecycleTimeout)
			defer cancel()
			if err := app.Stop(ctx); err != nil {
				t.Errorf("stop authd: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return &instance{
		server: &server{URL: "http://" + srv.Addr(), Config: cfg, client: &http.Client{Timeout: 20 * time.Second}},
		stop:   stop,
	}
}
