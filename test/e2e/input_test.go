package e2e

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

const bodyLimit = 64 << 10

// jsonBody is a valid-looking object naming field, padded with spaces to
// exactly size bytes when size is larger.
func jsonBody(field string, size int) []byte {
	b := []byte(`{"` + field + `":"x@example.com"}`)
	if pad := size - len(b); pad > 0 {
		b = append(bytes.Repeat([]byte(" "), pad), b...)
	}
	return b
}

func TestRequestBodyRules(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "iris@example.com")

	endpoints := []struct {
		name, path, field string
		opts              []reqOption
	}{
		{"signup", "/v1/auth/signup", "email", nil},
		{"login", "/v1/auth/login", "email", nil},
		{"refresh", "/v1/auth/refresh", "refreshToken", nil},
		{"logout", "/v1/auth/logout", "refreshToken", nil},
		{"password", "/v1/auth/password", "newPassword", []reqOption{bearer(a.AccessToken)}},
	}
	cases := []struct {
		name        string
		contentType string
		body        func(field string) []byte
		chunked     bool // send without Content-Length
		status      int
		code        string
	}{
		{"no Content-Type", "", func(f string) []byte { return jsonBody(f, 0) }, false, 415, "unsupported_media_type"},
		{"text/plain", "text/plain", func(f string) []byte { return jsonBody(f, 0) }, false, 415, "unsupported_media_type"},
		{"form", "application/x-www-form-urlencoded", func(f string) []byte { return []byte(f + "=x") }, false, 415, "unsupported_media_type"},
		{"JSON look-alike type", "application/jsonp", func(f string) []byte { return jsonBody(f, 0) }, false, 415, "unsupported_media_type"},
		{"one byte over 64 KiB", "application/json", func(f string) []byte { return jsonBody(f, bodyLimit+1) }, false, 413, "payload_too_large"},
		{"over 64 KiB, chunked", "application/json", func(f string) []byte { return jsonBody(f, 2*bodyLimit) }, true, 413, "payload_too_large"},
		{"malformed", "application/json", func(f string) []byte { return []byte(`{"` + f + `": `) }, false, 400, "invalid_json"},
		{"trailing object", "application/json", func(f string) []byte { return append(jsonBody(f, 0), "{}"...) }, false, 400, "invalid_json"},
		{"trailing garbage", "application/json", func(f string) []byte { return append(jsonBody(f, 0), " x"...) }, false, 400, "invalid_json"},
		{"invalid UTF-8", "application/json", func(f string) []byte { return []byte(`{"` + f + "\":\"x\xff@example.com\"}") }, false, 400, "invalid_json"},
		{"unknown field", "application/json", func(string) []byte { return []byte(`{"nickname":"x"}`) }, false, 400, "invalid_json"},
		{"field name in another case", "application/json", func(f string) []byte {
			return jsonBody(strings.ToUpper(f[:1])+f[1:], 0)
		}, false, 400, "invalid_json"},
	}
	for _, e := range endpoints {
		for _, c := range cases {
			t.Run(e.name+"/"+c.name, func(t *testing.T) {
				var body io.Reader = bytes.NewReader(c.body(e.field))
				if c.chunked {
					body = io.MultiReader(body) // hides the length from net/http
				}
				r := s.doRaw(t, http.MethodPost, e.path, c.contentType, body, e.opts...)
				r.wantProblem(t, c.status, c.code)
			})
		}
	}
	// Refused requests changed nothing.
	s.meUser(t, a.AccessToken)
	s.login(t, a.Email, a.Password)
}

func TestRequestBodyAcceptedForms(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "jodie@example.com")

	// A media type parameter is fine.
	login := []byte(`{"email":"jodie@example.com","password":"` + a.Password + `"}`)
	s.doRaw(t, http.MethodPost, "/v1/auth/login", "application/json; charset=utf-8", bytes.NewReader(login)).tokens(t, http.StatusOK)

	// Exactly 64 KiB is within the limit: the request reaches the use case.
	padded := append(bytes.Repeat([]byte(" "), bodyLimit-len(login)), login...)
	if len(padded) != bodyLimit {
		t.Fatalf("padded body is %d bytes", len(padded))
	}
	s.doRaw(t, http.MethodPost, "/v1/auth/login", "application/json", bytes.NewReader(padded)).tokens(t, http.StatusOK)

	// Field names are exact: "Email" is not email, even with everything else right.
	r := s.do(t, http.MethodPost, "/v1/auth/signup", map[string]any{"Email": "kim@example.com", "password": defaultPassword, "fullName": "Kim"})
	r.wantProblem(t, http.StatusBadRequest, "invalid_json")
	s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": "kim@example.com", "password": defaultPassword}).
		wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
}
