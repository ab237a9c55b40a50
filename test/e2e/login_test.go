package e2e

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestLoginOpensANewSessionEachTime(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "dana@example.com")

	first := s.login(t, "dana@example.com", a.Password)
	// The address is normalised at login as at signup.
	second := s.login(t, "  DANA@Example.com ", a.Password)

	if first.User != a.User || second.User != a.User {
		t.Errorf("login users %+v / %+v, want %+v", first.User, second.User, a.User)
	}
	if first.TokenType != "Bearer" || first.ExpiresIn != 900 || first.RefreshToken == "" || first.RefreshExpiresAt == "" {
		t.Errorf("login token response incomplete: %+v", first)
	}
	sids := map[string]bool{
		sessionID(t, a.AccessToken):      true,
		sessionID(t, first.AccessToken):  true,
		sessionID(t, second.AccessToken): true,
	}
	if len(sids) != 3 {
		t.Errorf("signup and two logins share sessions: %v", sids)
	}
	if a.RefreshToken == first.RefreshToken || first.RefreshToken == second.RefreshToken {
		t.Error("two sessions were given the same refresh token")
	}
	if n := len(s.sessions(t, second.AccessToken)); n != 3 {
		t.Errorf("%d active sessions, want 3", n)
	}
	// Every session works on its own.
	for _, tok := range []tokenResponse{a.tokenResponse, first, second} {
		s.meUser(t, tok.AccessToken)
		s.mustRefresh(t, tok.RefreshToken)
	}
}

func TestLoginFailuresAreIndistinguishable(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	s.signup(t, "erin@example.com")
	s.signup(t, "frank@example.com")
	db := s.openDB(t)
	execOne(t, db, `UPDATE users SET disabled = true WHERE email = $1`, "frank@example.com")

	attempts := []struct{ name, email, password string }{
		{"unknown email", "nobody@example.com", defaultPassword},
		{"wrong password", "erin@example.com", defaultPassword + "!"},
		{"disabled user, right password", "frank@example.com", defaultPassword},
	}
	var reference map[string]any
	var refHeader http.Header
	for _, a := range attempts {
		r := s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": a.email, "password": a.password})
		r.wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
		body := withoutVolatile(t, r)
		if reference == nil {
			reference, refHeader = body, r.Header
			continue
		}
		if !reflect.DeepEqual(body, reference) {
			t.Errorf("%s: body %v differs from %v", a.name, body, reference)
		}
		for _, h := range []string{"Content-Type", "WWW-Authenticate", "Cache-Control"} {
			if r.Header.Get(h) != refHeader.Get(h) {
				t.Errorf("%s: %s %q differs from %q", a.name, h, r.Header.Get(h), refHeader.Get(h))
			}
		}
	}
}

// withoutVolatile decodes a problem without the members that legitimately
// differ between two requests: instance, and the request id wherever it is
// quoted.
func withoutVolatile(t *testing.T, r response) map[string]any {
	t.Helper()
	id := r.Header.Get("X-Request-ID")
	var body map[string]any
	r.decode(t, &body)
	delete(body, "instance")
	delete(body, "requestId")
	for k, v := range body {
		if str, ok := v.(string); ok && id != "" {
			body[k] = strings.ReplaceAll(str, id, "<request-id>")
		}
	}
	return body
}

// TestLoginDuringDatabaseOutageIsInternal breaks the database under a
// running server: a failure to look the user up is a 500, never a 401 that
// would tell the client its credentials were wrong.
func TestLoginDuringDatabaseOutageIsInternal(t *testing.T) {
	t.Parallel()
	outages := []struct {
		name string
		// unreachable says /readyz must notice: tables dropped behind the
		// migrator's back leave the database reachable and "migrated".
		unreachable bool
		induce      func(t *testing.T, s *server)
	}{
		{"tables dropped", false, func(t *testing.T, s *server) {
			db := s.openDB(t)
			execSQL(t, db, `DROP TABLE sessions`)
			// CASCADE drops the foreign keys of the tables that refer to users.
			execSQL(t, db, `DROP TABLE users CASCADE`)
		}},
		{"database refusing connections", true, func(t *testing.T, s *server) {
			name := strings.TrimPrefix(mustParseURL(t, s.Config.Database.URL).Path, "/")
			admin := s.openAdminDB(t)
			// name is pgtest's [a-z0-9_] database name.
			execSQL(t, admin, `ALTER DATABASE `+name+` ALLOW_CONNECTIONS false`)
			queryStrings(t, admin, `SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity
				WHERE datname = $1`, name)
		}},
	}
	for _, o := range outages {
		t.Run(o.name, func(t *testing.T) {
			s := startServer(t, nil)
			a := s.signup(t, "gina@example.com")
			o.induce(t, s)

			for _, email := range []string{a.Email, "nobody@example.com"} {
				r := s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": email, "password": a.Password})
				p := r.wantProblem(t, http.StatusInternalServerError, "internal")
				if id := r.Header.Get("X-Request-ID"); id == "" || !strings.Contains(p.Detail, id) {
					t.Errorf("500 detail %q does not quote the request id %q", p.Detail, id)
				}
				assertNoInternals(t, r.Body)
				if strings.Contains(string(r.Body), "users") || strings.Contains(string(r.Body), "authd_test_") {
					t.Errorf("500 body names storage details: %s", r.Body)
				}
			}
			// A protected endpoint fails the same way rather than logging the caller out.
			s.me(t, a.AccessToken).wantProblem(t, http.StatusInternalServerError, "internal")
			if !o.unreachable {
				return
			}
			r := s.do(t, http.MethodGet, "/readyz", nil)
			if r.Status != http.StatusServiceUnavailable {
				t.Errorf("/readyz during the outage: %d, want 503", r.Status)
			}
			var doc map[string]any
			if json.Unmarshal(r.Body, &doc) != nil {
				t.Errorf("/readyz body is not JSON: %s", r.Body)
			}
			assertNoInternals(t, r.Body)
		})
	}
}
