package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// response is a finished HTTP exchange, body read.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// reqOption adjusts a request before it is sent.
type reqOption func(*http.Request)

// bearer authenticates the request with an access token.
func bearer(token string) reqOption {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

// header sets one request header.
func header(name, value string) reqOption {
	return func(r *http.Request) { r.Header.Set(name, value) }
}

// withCookie adds a cookie to the request.
func withCookie(c *http.Cookie) reqOption {
	return func(r *http.Request) { r.AddCookie(c) }
}

// do sends body, when not nil, JSON-encoded as application/json.
func (s *server) do(t testing.TB, method, path string, body any, opts ...reqOption) response {
	t.Helper()
	if body == nil {
		return s.doRaw(t, method, path, "", nil, opts...)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatalf("encode request body: %v", err)
	}
	return s.doRaw(t, method, path, "application/json", bytes.NewReader(raw), opts...)
}

// doRaw sends body as is with the given Content-Type ("" sends none).
func (s *server) doRaw(t testing.TB, method, path, contentType string, body io.Reader, opts ...reqOption) response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("User-Agent", "authd-e2e")
	for _, opt := range opts {
		opt(req)
	}
	return send(t, s.client, withTB(req, t))
}

func send(t testing.TB, client *http.Client, req *http.Request) response {
	t.Helper()
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// wantStatus fails the test unless the status is want, showing the body.
func (r response) wantStatus(t testing.TB, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d; body: %s", r.Status, want, r.Body)
	}
}

// object decodes the body as one JSON object, numbers kept exact.
func (r response) object(t testing.TB) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("body is not a JSON object: %v; body: %s", err, r.Body)
	}
	return out
}

// decode decodes the body into dst.
func (r response) decode(t testing.TB, dst any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, dst); err != nil {
		t.Fatalf("decode body: %v; body: %s", err, r.Body)
	}
}

// cookie returns the Set-Cookie of the response named name, or nil.
func (r response) cookie(name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// problem is an RFC 9457 problem document as the contract shapes it.
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail"`
	Code   string       `json:"code"`
	Errors []fieldError `json:"errors"`
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// wantProblem checks that the response is a problem document with the
// given status and code, in the problem media type, free of anything that
// looks like a stack trace, and returns it.
func (r response) wantProblem(t testing.TB, status int, code string) problem {
	t.Helper()
	r.wantStatus(t, status)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type %q, want application/problem+json; body: %s", ct, r.Body)
	}
	var p problem
	r.decode(t, &p)
	if p.Code != code || p.Status != status {
		t.Fatalf("problem code %q status %d, want %q %d; body: %s", p.Code, p.Status, code, status, r.Body)
	}
	if p.Type == "" || p.Title == "" {
		t.Fatalf("problem lacks type or title: %s", r.Body)
	}
	assertNoInternals(t, r.Body)
	return p
}

// internalsMarkers are fragments of stack traces, SQL and driver or
// library messages that must never reach a client.
var internalsMarkers = []string{
	"goroutine ", "panic:", ".go:", "runtime/", "github.com/", "gorm", "pgx", "pq:",
	"SQLSTATE", "sqlite", "ERROR:", `relation "`, "SELECT ", "INSERT ", "UPDATE ", "DELETE FROM",
	"syntax error", "encoding/json", "invalid character", "unexpected end of JSON", "connection refused",
}

func assertNoInternals(t testing.TB, body []byte) {
	t.Helper()
	for _, m := range internalsMarkers {
		if bytes.Contains(body, []byte(m)) {
			t.Errorf("response body leaks internals (%q): %s", m, body)
		}
	}
}

// fields returns the distinct field names of a validation problem.
func (p problem) fields() []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range p.Errors {
		if !seen[e.Field] {
			seen[e.Field] = true
			out = append(out, e.Field)
		}
	}
	return out
}
