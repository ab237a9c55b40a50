package e2e

import (
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestSignupReturnsTokenResponse(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := startServer(t, nil, withClock(clock))
	now := clock.Now()

	body := map[string]any{
		"email":           "  Alice@Example.COM ",
		"password":        defaultPassword,
		"passwordConfirm": defaultPassword,
		"fullName":        "  Alice Liddell ",
	}
	r := s.do(t, http.MethodPost, "/v1/auth/signup", body)
	r.wantStatus(t, http.StatusCreated)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}

	obj := r.object(t)
	wantKeys(t, "token response", obj, "tokenType", "accessToken", "expiresIn", "refreshToken", "refreshExpiresAt", "user")
	user, _ := obj["user"].(map[string]any)
	wantKeys(t, "user", user, "id", "email", "fullName", "role", "disabled", "emailVerified", "createdAt", "updatedAt")

	tr := r.tokens(t, http.StatusCreated)
	stamp := now.Format(time.RFC3339)
	checks := []struct {
		name      string
		got, want any
	}{
		{"tokenType", tr.TokenType, "Bearer"},
		{"expiresIn", obj["expiresIn"].(interface{ String() string }).String(), "900"},
		{"refreshExpiresAt (idle timeout, 7 days)", tr.RefreshExpiresAt, now.Add(7 * 24 * time.Hour).Format(time.RFC3339)},
		{"user.email (trimmed, lower-cased)", tr.User.Email, "alice@example.com"},
		{"user.fullName (trimmed)", tr.User.FullName, "Alice Liddell"},
		{"user.role", tr.User.Role, "user"},
		{"user.disabled", tr.User.Disabled, false},
		{"user.emailVerified", tr.User.EmailVerified, false},
		{"user.createdAt", tr.User.CreatedAt, stamp},
		{"user.updatedAt", tr.User.UpdatedAt, stamp},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if !uuidPattern.MatchString(tr.User.ID) {
		t.Errorf("user.id %q is not a UUID", tr.User.ID)
	}
	if strings.Count(tr.AccessToken, ".") != 2 {
		t.Errorf("accessToken is not a compact JWT")
	}
	if tr.RefreshToken == "" || strings.Contains(tr.RefreshToken, ".") || tr.RefreshToken == tr.AccessToken {
		t.Errorf("refreshToken %q is not an opaque token", tr.RefreshToken)
	}
	// At least 256 bits: 43 base64url characters carry 258.
	if len(tr.RefreshToken) < 43 {
		t.Errorf("refreshToken has %d characters, too short for 256 bits", len(tr.RefreshToken))
	}
	assertNoSecrets(t, r.Body, defaultPassword)

	if got := s.meUser(t, tr.AccessToken); got != tr.User {
		t.Errorf("/me = %+v, want the user of the signup %+v", got, tr.User)
	}
}

// wantKeys checks that obj has exactly the given keys.
func wantKeys(t *testing.T, what string, obj map[string]any, keys ...string) {
	t.Helper()
	got := slices.Sorted(maps.Keys(obj))
	slices.Sort(keys)
	if !slices.Equal(got, keys) {
		t.Errorf("%s has keys %v, want exactly %v", what, got, keys)
	}
}

// assertNoSecrets checks that a response body holds neither the password
// nor a password hash, and has no member named like a secret.
func assertNoSecrets(t *testing.T, body []byte, password string) {
	t.Helper()
	for _, bad := range []string{password, "$argon2"} {
		if strings.Contains(string(body), bad) {
			t.Errorf("response body contains %q: %s", bad, body)
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, inner := range v {
				lower := strings.ToLower(k)
				for _, bad := range []string{"hash", "secret", "password", "salt"} {
					if strings.Contains(lower, bad) {
						t.Errorf("response has a member %q: %s", k, body)
					}
				}
				walk(inner)
			}
		case []any:
			for _, inner := range v {
				walk(inner)
			}
		}
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	walk(doc)
}

func TestSignupEmailTakenIgnoresCase(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	s.signup(t, "bob@example.com")

	for _, email := range []string{"bob@example.com", "BOB@Example.com", "  Bob@EXAMPLE.COM  "} {
		r := s.do(t, http.MethodPost, "/v1/auth/signup", signupBody(email))
		r.wantProblem(t, http.StatusConflict, "email_taken")
	}
}

func TestSignupValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	s.signup(t, "existing@example.com")

	valid := func(edit func(map[string]any)) map[string]any {
		b := map[string]any{"email": "carol@example.com", "password": defaultPassword, "fullName": "Carol"}
		edit(b)
		return b
	}
	set := func(k string, v any) map[string]any { return valid(func(b map[string]any) { b[k] = v }) }

	cases := []struct {
		name       string
		body       map[string]any
		wantFields []string
	}{
		{"email empty", set("email", ""), []string{"email"}},
		{"email blank", set("email", "   "), []string{"email"}},
		{"email without at", set("email", "carol.example.com"), []string{"email"}},
		{"email without domain", set("email", "carol@"), []string{"email"}},
		{"email with display name", set("email", "Carol <carol@example.com>"), []string{"email"}},
		{"email in angle brackets", set("email", "<carol@example.com>"), []string{"email"}},
		{"two addresses", set("email", "carol@example.com, dave@example.com"), []string{"email"}},
		{"email over 254 bytes", set("email", strings.Repeat("c", 64)+"@"+strings.Repeat("d", 190)+".com"), []string{"email"}},
		{"password 7 code points in 14 bytes", set("password", "ééééééé"), []string{"password"}},
		{"password 129 code points", set("password", strings.Repeat("xq", 64)+"z"), []string{"password"}},
		{"password common", set("password", "password1"), []string{"password"}},
		{"password common in other case", set("password", "PASSWORD1"), []string{"password"}},
		{"password contains local part", set("password", "my-CAROL-pass-77"), []string{"password"}},
		{"passwordConfirm mismatch", set("passwordConfirm", defaultPassword+"x"), []string{"passwordConfirm"}},
		{"fullName empty", set("fullName", ""), []string{"fullName"}},
		{"fullName blank", set("fullName", "   "), []string{"fullName"}},
		{"fullName 101 characters", set("fullName", strings.Repeat("é", 101)), []string{"fullName"}},
		{"fullName with bell", set("fullName", "Carol\aSmith"), []string{"fullName"}},
		{"fullName with newline", set("fullName", "Carol\nSmith"), []string{"fullName"}},
		{"fullName with DEL", set("fullName", "Carol\x7fSmith"), []string{"fullName"}},
		{"everything missing", map[string]any{}, []string{"email", "password", "fullName"}},
		{"every field wrong", map[string]any{"email": "nope", "password": "short", "fullName": ""}, []string{"email", "password", "fullName"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.do(t, http.MethodPost, "/v1/auth/signup", c.body)
			p := r.wantProblem(t, http.StatusBadRequest, "validation_failed")
			got, want := slices.Sorted(slices.Values(p.fields())), slices.Sorted(slices.Values(c.wantFields))
			if !slices.Equal(got, want) {
				t.Errorf("errors name fields %v, want %v; body: %s", got, want, r.Body)
			}
			for _, e := range p.Errors {
				if e.Message == "" {
					t.Errorf("field %s has no message", e.Field)
				}
			}
		})
	}
}

func TestSignupAcceptsPasswordBounds(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cases := []struct {
		name, email, password, fullName string
		// wrong is a near miss that must not log in: the password is
		// neither trimmed nor truncated.
		wrong string
	}{
		// A byte-counting length check would refuse the first two.
		{"128 four-byte code points", "emoji@example.com", strings.Repeat("😀", 127) + "x", "Emoji", strings.Repeat("😀", 127)},
		{"8 two-byte code points", "accent@example.com", "éàèùâêîô", "Accent", "éàèùâêîô "},
		{"NUL inside", "nul@example.com", "pass\x00word-Zebra-7", "Nul", "pass"},
		{"fullName of 100 characters", "long@example.com", defaultPassword, strings.Repeat("é", 100), " " + defaultPassword},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := map[string]any{"email": c.email, "password": c.password, "fullName": c.fullName}
			tr := s.do(t, http.MethodPost, "/v1/auth/signup", body).tokens(t, http.StatusCreated)
			if tr.User.FullName != c.fullName {
				t.Errorf("fullName %q, want %q", tr.User.FullName, c.fullName)
			}
			s.login(t, c.email, c.password)
			r := s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": c.email, "password": c.wrong})
			r.wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
		})
	}
}

func TestSignupCannotChooseRole(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	body := signupBody("mallory@example.com")
	body["role"] = "admin"
	s.do(t, http.MethodPost, "/v1/auth/signup", body).wantProblem(t, http.StatusBadRequest, "invalid_json")

	// Nothing was created by the refused request.
	r := s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": "mallory@example.com", "password": defaultPassword})
	r.wantProblem(t, http.StatusUnauthorized, "invalid_credentials")

	// Without the field the account is an ordinary user.
	if role := s.signup(t, "mallory@example.com").User.Role; role != "user" {
		t.Errorf("role %q, want user", role)
	}
}
