package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/ports/outbound"
)

// harness is one handler built from fakes, with its log captured.
type harness struct {
	t     *testing.T
	h     http.Handler
	f     *fakes
	logs  *observer.ObservedLogs
	clock *system.ManualClock
	ready error
	// checks is what Probes.Checks answers.
	checks map[string]string
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	hs := &harness{t: t, f: newFakes(t), logs: logs, clock: system.NewManualClock(testNow)}
	probes := Probes{
		Ready:  func(context.Context) error { return hs.ready },
		JWKS:   func() ([]byte, error) { return []byte(`{"keys":[{"kid":"k1","use":"sig","alg":"EdDSA"}]}`), nil },
		Checks: func(context.Context) map[string]string { return hs.checks },
		Clock:  hs.clock,
	}
	h, err := NewHandler(opts, hs.f.useCases(), probes, zap.New(core))
	if err != nil {
		t.Fatalf("NewHandler: %v", err)
	}
	hs.h = h
	return hs
}

// okProbes are probes that succeed, for handlers built without a harness.
func okProbes() Probes {
	return Probes{
		Ready:  func(context.Context) error { return nil },
		JWKS:   func() ([]byte, error) { return []byte(`{"keys":[]}`), nil },
		Checks: func(context.Context) map[string]string { return nil },
		Clock:  system.NewManualClock(testNow),
	}
}

// bodyOpts is the simplest configuration: tokens in JSON bodies only.
func bodyOpts() Options { return Options{RefreshTransport: "body", CookieSecure: true} }

// limitedOpts enables rate limiting with the contract's default quotas,
// leaving the names for NewHandler to fill in.
func limitedOpts(l *fakeLimiter) Options {
	o := bodyOpts()
	o.RateLimits = RateLimits{
		Enabled: true, Limiter: l,
		Login:   outbound.Quota{Limit: 20, Window: time.Minute},
		Signup:  outbound.Quota{Limit: 10, Window: time.Hour},
		Refresh: outbound.Quota{Limit: 60, Window: time.Minute},
		Default: outbound.Quota{Limit: 300, Window: time.Minute},
	}
	return o
}

func (hs *harness) do(r *http.Request) *httptest.ResponseRecorder {
	hs.t.Helper()
	rec := httptest.NewRecorder()
	hs.h.ServeHTTP(rec, r)
	return rec
}

// post sends a JSON body.
func (hs *harness) post(path, body string) *httptest.ResponseRecorder {
	return hs.do(jsonRequest(http.MethodPost, path, body))
}

// goodToken is the bearer token authed sends; the Authenticate fake answers
// its configured principal for any token and records the one it got.
const goodToken = "good.access.token"

// authed sends a request with a bearer token.
func (hs *harness) authed(method, path, body string) *httptest.ResponseRecorder {
	r := jsonRequest(method, path, body)
	r.Header.Set("Authorization", "Bearer "+goodToken)
	return hs.do(r)
}

func jsonRequest(method, path, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}

// problemOf decodes a problem answer, checking its media type and the
// members every problem must have.
func problemOf(t *testing.T, rec *httptest.ResponseRecorder) problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != problemContentType {
		t.Fatalf("Content-Type = %q, want %q (body %s)", ct, problemContentType, rec.Body)
	}
	var p problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, rec.Body)
	}
	if p.Status != rec.Code || p.Type != problemTypePrefix+p.Code || p.Title != http.StatusText(rec.Code) {
		t.Fatalf("inconsistent problem %+v for status %d", p, rec.Code)
	}
	return p
}

// expectProblem asserts status and code.
func expectProblem(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) problem {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d (body %s)", rec.Code, status, rec.Body)
	}
	p := problemOf(t, rec)
	if p.Code != code {
		t.Fatalf("code = %q, want %q (body %s)", p.Code, code, rec.Body)
	}
	return p
}

// jsonObject decodes a JSON object answer.
func jsonObject(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q (body %s)", ct, rec.Body)
	}
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body: %v: %s", err, rec.Body)
	}
	return m
}

// keysOf returns the sorted keys of a JSON object.
func keysOf(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}

// cookieNamed finds a Set-Cookie of the response.
func cookieNamed(rec *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
