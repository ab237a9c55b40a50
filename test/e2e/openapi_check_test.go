package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/authd/authd/adapters/httpapi/openapi"
)

// exchange builds one request/response pair for openAPISpec.check.
type exchange struct {
	method, path, reqBody string
	reqHeader             map[string]string
	status                int
	resHeader             map[string]string
	resBody               string
}

func (e exchange) check(t *testing.T) []string {
	t.Helper()
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	var body io.Reader
	if e.reqBody != "" {
		body = strings.NewReader(e.reqBody)
	}
	req := httptest.NewRequest(e.method, "http://127.0.0.1:1"+e.path, body)
	for k, v := range e.reqHeader {
		req.Header.Set(k, v)
	}
	res := &http.Response{StatusCode: e.status, Header: http.Header{}, Request: req}
	for k, v := range e.resHeader {
		res.Header.Set(k, v)
	}
	return spec.check(req, []byte(e.reqBody), res, []byte(e.resBody))
}

var (
	jsonType    = map[string]string{"Content-Type": "application/json; charset=utf-8", "X-Request-ID": "r1"}
	problemType = map[string]string{"Content-Type": "application/problem+json", "X-Request-ID": "r1", "Cache-Control": "no-store"}
)

func with(h map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

const meUnauthorized = `{"type":"urn:authd:problem:unauthorized","title":"Unauthorized","status":401,"detail":"a bearer access token is required","code":"unauthorized"}`

// The validation the transport applies to every exchange of the suite is
// only worth something if it refuses what the document does not describe.
func TestOpenAPIValidationCatchesDrift(t *testing.T) {
	t.Parallel()
	unauthorized := with(problemType, "WWW-Authenticate", "Bearer")
	valid := []exchange{
		{method: "GET", path: "/healthz", status: 200, resHeader: jsonType, resBody: `{"status":"ok"}`},
		{method: "GET", path: "/v1/auth/me", status: 401, resHeader: unauthorized, resBody: meUnauthorized},
		{method: "POST", path: "/v1/auth/login", reqBody: `{"email":"a@example.com","password":"x","nickname":"n"}`,
			reqHeader: map[string]string{"Content-Type": "application/json"}, status: 400, resHeader: problemType,
			resBody: `{"type":"urn:authd:problem:invalid_json","title":"Bad Request","status":400,"detail":"d","code":"invalid_json"}`},
		{method: "GET", path: "/nope", status: 404, resHeader: with(problemType, "Cache-Control", ""),
			resBody: `{"type":"urn:authd:problem:not_found","title":"Not Found","status":404,"detail":"d","code":"not_found"}`},
		{method: "POST", path: "/healthz", status: 405, resHeader: with(problemType, "Allow", "GET, HEAD"),
			resBody: `{"type":"urn:authd:problem:method_not_allowed","title":"Method Not Allowed","status":405,"detail":"d","code":"method_not_allowed"}`},
	}
	// The same logout, with a documented body, is fine.
	valid = append(valid, exchange{method: "POST", path: "/v1/auth/logout", reqBody: `{"refreshToken":"t"}`,
		reqHeader: map[string]string{"Content-Type": "application/json"}, status: 204,
		resHeader: map[string]string{"X-Request-ID": "r1", "Cache-Control": "no-store"}})
	for _, e := range valid {
		if problems := e.check(t); len(problems) > 0 {
			t.Errorf("%s %s %d: documented exchange refused: %v", e.method, e.path, e.status, problems)
		}
	}

	drift := map[string]exchange{
		"undocumented field":   {method: "GET", path: "/healthz", status: 200, resHeader: jsonType, resBody: `{"status":"ok","uptime":3}`},
		"undocumented status":  {method: "GET", path: "/healthz", status: 418, resHeader: jsonType, resBody: `{"status":"ok"}`},
		"missing X-Request-ID": {method: "GET", path: "/healthz", status: 200, resHeader: with(jsonType, "X-Request-ID", ""), resBody: `{"status":"ok"}`},
		"code not of this status": {method: "GET", path: "/v1/auth/me", status: 401, resHeader: unauthorized,
			resBody: strings.ReplaceAll(meUnauthorized, "unauthorized", "invalid_credentials")},
		"unknown code": {method: "GET", path: "/v1/auth/me", status: 401, resHeader: unauthorized,
			resBody: strings.ReplaceAll(meUnauthorized, `"code":"unauthorized"`, `"code":"nope"`)},
		"401 without WWW-Authenticate": {method: "GET", path: "/v1/auth/me", status: 401, resHeader: problemType, resBody: meUnauthorized},
		"v1 without no-store":          {method: "GET", path: "/v1/auth/me", status: 401, resHeader: with(unauthorized, "Cache-Control", ""), resBody: meUnauthorized},
		// 204 is a documented answer of logout; the unknown member is not.
		"invalid request accepted": {method: "POST", path: "/v1/auth/logout", reqBody: `{"nickname":"n"}`,
			reqHeader: map[string]string{"Content-Type": "application/json"}, status: 204,
			resHeader: map[string]string{"X-Request-ID": "r1", "Cache-Control": "no-store"}},
		"unknown path answered": {method: "GET", path: "/nope", status: 200, resHeader: jsonType, resBody: `{}`},
		"405 without Allow": {method: "POST", path: "/healthz", status: 405, resHeader: problemType,
			resBody: `{"type":"urn:authd:problem:method_not_allowed","title":"Method Not Allowed","status":405,"detail":"d","code":"method_not_allowed"}`},
	}
	for name, e := range drift {
		if problems := e.check(t); len(problems) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}

// recordingTB collects the failures the transport reports.
type recordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

type stubTransport func(*http.Request) *http.Response

func (f stubTransport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r), nil }

func TestValidatingTransportReportsToTheSendingTest(t *testing.T) {
	t.Parallel()
	const body = `{"status":"ok","uptime":3}`
	stub := stubTransport(func(r *http.Request) *http.Response {
		return &http.Response{
			StatusCode: http.StatusOK, Request: r, Body: io.NopCloser(strings.NewReader(body)),
			Header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"r1"}},
		}
	})
	client := newValidatingClient(t, "authd.test", &http.Client{Transport: stub})
	get := func(url string, tb testing.TB) {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		res := send(t, client, withTB(req, tb))
		if string(res.Body) != body {
			t.Errorf("the transport changed the body: %s", res.Body)
		}
	}
	rec := &recordingTB{TB: t}
	get("http://authd.test/healthz", rec)
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "uptime") {
		t.Errorf("undocumented member not reported to the sending test: %q", rec.errs)
	}
	// Another host is not the server under test (an OpenID provider, say).
	other := &recordingTB{TB: t}
	get("http://elsewhere.test/healthz", other)
	if len(other.errs) != 0 {
		t.Errorf("an exchange with another host was checked: %q", other.errs)
	}
}

func TestDocsServedByTheApplication(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	if vt, ok := s.client.Transport.(*validatingTransport); !ok || "http://"+vt.host != s.URL {
		t.Fatalf("the suite's client does not validate exchanges with %s: %#v", s.URL, s.client.Transport)
	}
	r := s.do(t, http.MethodGet, "/openapi.json", nil)
	r.wantStatus(t, http.StatusOK)
	want, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.Body, want) {
		t.Error("/openapi.json is not the embedded document")
	}
	if got := r.Header.Get("Content-Security-Policy"); got != securityHeaders["Content-Security-Policy"] {
		t.Errorf("/openapi.json CSP %q", got)
	}
	page := s.do(t, http.MethodGet, "/docs", nil)
	page.wantStatus(t, http.StatusOK)
	if csp := page.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'; script-src 'self'") {
		t.Errorf("/docs CSP %q, want the relaxed docs policy", csp)
	}
	// Go's client asks for gzip and decompresses: the bundle arrives whole.
	js := s.do(t, http.MethodGet, "/docs/assets/swagger-ui-bundle.js", nil)
	js.wantStatus(t, http.StatusOK)
	if len(js.Body) < 1<<20 || !bytes.Contains(js.Body, []byte("SwaggerUIBundle")) {
		t.Errorf("bundle: %d bytes", len(js.Body))
	}
}

// BenchmarkOpenAPICheck measures what validating one exchange costs the
// suite: a login request and its token response.
func BenchmarkOpenAPICheck(b *testing.B) {
	spec, err := loadSpec()
	if err != nil {
		b.Fatal(err)
	}
	reqBody := []byte(`{"email":"ada@example.com","password":"correct horse battery"}`)
	resBody := []byte(`{"tokenType":"Bearer","accessToken":"a.b.c","expiresIn":900,"refreshToken":"` + strings.Repeat("A", 76) +
		`","refreshExpiresAt":"2026-12-06T05:29:07Z","user":{"id":"01a2262d-4842-76ce-abc1-507391c30961","email":"ada@example.com",` +
		`"fullName":"Ada","role":"user","disabled":false,"emailVerified":false,"createdAt":"2026-11-29T05:29:07Z","updatedAt":"2026-11-29T05:29:07Z"}}`)
	header := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "X-Request-Id": {"r1"}, "Cache-Control": {"no-store"}}
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:1/v1/auth/login", bytes.NewReader(reqBody))
		req.Header.Set("Content-Type", "application/json")
		res := &http.Response{StatusCode: http.StatusOK, Header: header, Request: req}
		if problems := spec.check(req, reqBody, res, resBody); len(problems) > 0 {
			b.Fatal(problems)
		}
	}
}
