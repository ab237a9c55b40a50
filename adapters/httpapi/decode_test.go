package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStrictJSONRefusals(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		status                  int
		code                    string
	}{
		{"no content type", "", `{"email":"a@b.c","password":"p"}`, 415, "unsupported_media_type"},
		{"text/plain", "text/plain", `{"email":"a@b.c","password":"p"}`, 415, "unsupported_media_type"},
		{"json lookalike", "application/jsonx", `{"email":"a@b.c","password":"p"}`, 415, "unsupported_media_type"},
		{"form", "application/x-www-form-urlencoded", `email=a`, 415, "unsupported_media_type"},
		{"invalid utf-8 in value", "application/json", "{\"email\":\"a\xff@b.c\",\"password\":\"p\"}", 400, "invalid_json"},
		{"invalid utf-8 in key", "application/json", "{\"em\xc3ail\":\"a@b.c\",\"password\":\"p\"}", 400, "invalid_json"},
		{"lone surrogate escape", "application/json", `{"email":"a\ud800@b.c","password":"p"}`, 400, "invalid_json"},
		{"malformed", "application/json", `{"email":"a@b.c",`, 400, "invalid_json"},
		{"trailing object", "application/json", `{"email":"a@b.c","password":"p"}{}`, 400, "invalid_json"},
		{"trailing garbage", "application/json", `{"email":"a@b.c","password":"p"} x`, 400, "invalid_json"},
		{"unknown field", "application/json", `{"email":"a@b.c","password":"p","role":"admin"}`, 400, "invalid_json"},
		{"case-folded field", "application/json", `{"Email":"a@b.c","password":"p"}`, 400, "invalid_json"},
		{"upper-case field", "application/json", `{"email":"a@b.c","PASSWORD":"p"}`, 400, "invalid_json"},
		{"duplicate key", "application/json", `{"email":"a@b.c","email":"admin@b.c","password":"p"}`, 400, "invalid_json"},
		{"array", "application/json", `[{"email":"a@b.c","password":"p"}]`, 400, "invalid_json"},
		{"string", "application/json", `"hello"`, 400, "invalid_json"},
		{"null", "application/json", `null`, 400, "invalid_json"},
		{"empty body", "application/json", ``, 400, "invalid_json"},
		{"wrong type", "application/json", `{"email":5,"password":"p"}`, 400, "validation_failed"},
		{"object for string", "application/json", `{"email":"a@b.c","password":{"x":1}}`, 400, "validation_failed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(t, bodyOpts())
			r := httptest.NewRequest(http.MethodPost, "/v1/auth/login", strings.NewReader(tc.body))
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			rec := hs.do(r)
			expectProblem(t, rec, tc.status, tc.code)
			if hs.f.called("Login") {
				t.Error("the use case saw a refused body")
			}
		})
	}
}

func TestWrongTypeNamesTheField(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.post("/v1/auth/login", `{"email":5,"password":"p"}`)
	p := expectProblem(t, rec, 400, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "email" || p.Errors[0].Message != "must be a string" {
		t.Errorf("errors = %+v", p.Errors)
	}
}

func TestUnknownFieldDetailNamesIt(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.post("/v1/auth/login", `{"Email":"a@b.c","password":"p"}`)
	p := expectProblem(t, rec, 400, "invalid_json")
	if !strings.Contains(p.Detail, `"Email"`) {
		t.Errorf("detail = %q", p.Detail)
	}
}

func TestStrictJSONAcceptances(t *testing.T) {
	cases := []struct{ name, contentType, body string }{
		{"charset parameter", "application/json; charset=utf-8", `{"email":"a@b.c","password":"p"}`},
		{"upper-case media type", "Application/JSON", `{"email":"a@b.c","password":"p"}`},
		{"surrounding whitespace", "application/json", " \n{\"email\":\"a@b.c\",\"password\":\"p\"}\n "},
		{"escaped key", "application/json", `{"em\u0061il":"a@b.c","password":"p"}`},
		{"surrogate pair", "application/json", `{"email":"a@b.c","password":"p\ud83d\ude00"}`},
		{"escaped backslash before u", "application/json", `{"email":"a@b.c","password":"\\ud800"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(t, bodyOpts())
			r := httptest.NewRequest(http.MethodPost, "/v1/auth/login", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", tc.contentType)
			if rec := hs.do(r); rec.Code != http.StatusOK {
				t.Fatalf("status = %d: %s", rec.Code, rec.Body)
			}
		})
	}
}

func TestSurrogatePairDecodes(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.post("/v1/auth/login", `{"email":"a@b.c","password":"p\ud83d\ude00"}`)
	if got := hs.f.login.last().Password; got != "p😀" {
		t.Errorf("password = %q", got)
	}
}

func TestBodyLimit(t *testing.T) {
	hs := newHarness(t, Options{RefreshTransport: "body", CookieSecure: true, BodyLimit: 64})
	big := `{"email":"a@b.c","password":"` + strings.Repeat("x", 100) + `"}`

	rec := hs.post("/v1/auth/login", big)
	expectProblem(t, rec, http.StatusRequestEntityTooLarge, "payload_too_large")

	// Without a Content-Length the limit is enforced while reading.
	r := httptest.NewRequest(http.MethodPost, "/v1/auth/login", strings.NewReader(big))
	r.Header.Set("Content-Type", "application/json")
	r.ContentLength = -1
	expectProblem(t, hs.do(r), http.StatusRequestEntityTooLarge, "payload_too_large")

	if rec := hs.post("/v1/auth/login", `{"email":"a@b.c","password":"p"}`); rec.Code != http.StatusOK {
		t.Fatalf("small body refused: %d", rec.Code)
	}
}

func TestDefaultBodyLimitIs64KiB(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	pad := strings.Repeat("x", int(DefaultBodyLimit))
	rec := hs.post("/v1/auth/login", `{"email":"a@b.c","password":"`+pad+`"}`)
	expectProblem(t, rec, http.StatusRequestEntityTooLarge, "payload_too_large")
}

// FuzzDecodeJSON: decoding never panics, and whatever it accepts is a
// valid UTF-8 JSON object whose keys are exactly the known field names,
// each present once.
func FuzzDecodeJSON(f *testing.F) {
	seeds := []string{
		`{"email":"a@b.c","password":"p","fullName":"A","passwordConfirm":"p"}`,
		`{"Email":"x"}`, `{"email":"a","email":"b"}`, `{}`, `[]`, `null`, `"s"`, `{"email":5}`,
		"{\"email\":\"\xff\"}", `{"email":"\ud800"}`, `{"email":"\ud83d\ude00"}`, `{"email":"\\u"}`,
		`{"a":1} {}`, `{"email":"x"`, `{"password":null}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	known := jsonFieldNames(&signupRequest{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		var dst signupRequest
		if err := decodeStrict(raw, &dst); err != nil {
			return
		}
		if !utf8.Valid(raw) || !json.Valid(raw) {
			t.Fatalf("accepted invalid input %q", raw)
		}
		if trimmed := bytes.TrimSpace(raw); len(trimmed) == 0 || trimmed[0] != '{' {
			t.Fatalf("accepted a non-object %q", raw)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.Token() // {
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatalf("re-reading accepted input %q: %v", raw, err)
			}
			key := tok.(string)
			if !known[key] || seen[key] {
				t.Fatalf("accepted key %q in %q", key, raw)
			}
			seen[key] = true
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				t.Fatalf("re-reading accepted input %q: %v", raw, err)
			}
		}
		// encoding/json turns invalid bytes and lone surrogates into U+FFFD;
		// one may appear only if the client sent it, literally or escaped.
		sentReplacement := bytes.ContainsRune(raw, utf8.RuneError) || bytes.Contains(bytes.ToLower(raw), []byte(`\ufffd`))
		for _, s := range []*string{dst.Email, dst.Password, dst.FullName, dst.PasswordConfirm} {
			if s != nil && strings.ContainsRune(*s, utf8.RuneError) && !sentReplacement {
				t.Fatalf("decoded a replacement character from %q", raw)
			}
		}
	})
}
