package e2e

import (
	"net/http"
	"testing"
)

// The lockout is counted in the database: two instances without Redis
// share it, and an instance started afterwards (a restart, with nothing
// in its memory) still refuses the locked email.
func TestLockoutSpansInstancesAndSurvivesRestarts(t *testing.T) {
	t.Parallel()
	env := map[string]string{"AUTHD_LOCKOUT_MAX_FAILURES": "4"}
	servers := startCluster(t, 2, env)
	a := servers[0].signup(t, "vera@example.com")
	wrong := map[string]any{"email": a.Email, "password": "not-the-Password-42"}
	for i := range 4 {
		servers[i%2].do(t, http.MethodPost, "/v1/auth/login", wrong).wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	right := map[string]any{"email": a.Email, "password": a.Password}
	for _, s := range servers {
		s.do(t, http.MethodPost, "/v1/auth/login", right).wantProblem(t, http.StatusTooManyRequests, "too_many_attempts")
	}
	env[envDatabaseURL] = servers[0].Config.Database.URL
	env[envKeysDir] = servers[0].Config.JWT.KeysDir
	restarted := startServer(t, env)
	restarted.do(t, http.MethodPost, "/v1/auth/login", right).wantProblem(t, http.StatusTooManyRequests, "too_many_attempts")
}

// Wrong current passwords on POST /v1/auth/password count against the
// login lockout: once it is spent, the right password is refused with 429
// there and at login.
func TestPasswordChangeGuessesAreLockedOut(t *testing.T) {
	t.Parallel()
	s := startServer(t, map[string]string{"AUTHD_LOCKOUT_MAX_FAILURES": "5"})
	a := s.signup(t, "guess@example.com")
	for range 5 {
		s.do(t, http.MethodPost, "/v1/auth/password",
			map[string]any{"currentPassword": "a-Wrong-guess-17", "newPassword": "another-Fine-secret-8"},
			bearer(a.AccessToken)).wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	res := s.do(t, http.MethodPost, "/v1/auth/password",
		map[string]any{"currentPassword": a.Password, "newPassword": "another-Fine-secret-8"}, bearer(a.AccessToken))
	res.wantProblem(t, http.StatusTooManyRequests, "too_many_attempts")
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": a.Email, "password": a.Password}).
		wantProblem(t, http.StatusTooManyRequests, "too_many_attempts")
}

// One mailbox holds one account, however its address is spelt: the domain
// is stored in IDNA A-label form, width variants fold, and look-alikes
// are refused.
func TestIDNAndLookAlikeSignups(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	first := s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("idn@bücher.example")).tokens(t, http.StatusCreated)
	if first.User.Email != "idn@xn--bcher-kva.example" {
		t.Fatalf("stored email %q, want the A-label form", first.User.Email)
	}
	for _, twin := range []string{"idn@xn--bcher-kva.example", "IDN@BÜCHER.EXAMPLE", "ｉｄｎ@bücher.example", "idn@bu\u0308cher.example"} {
		s.do(t, http.MethodPost, "/v1/auth/signup", signupBody(twin)).wantProblem(t, http.StatusConflict, "email_taken")
		s.login(t, twin, defaultPassword)
	}
	s.signup(t, "paypal@example.com")
	for _, lookalike := range []string{"pаypal@example.com", "paypal@exаmple.com", "paypal@аррӏе.com"} {
		p := s.do(t, http.MethodPost, "/v1/auth/signup", signupBody(lookalike)).wantProblem(t, http.StatusBadRequest, "validation_failed")
		if f := p.fields(); len(f) != 1 || f[0] != "email" {
			t.Errorf("%q: fields %v, want email", lookalike, f)
		}
	}
	s.do(t, http.MethodPost, "/v1/auth/signup", signupBody("ｐａｙｐａｌ@example.com")).wantProblem(t, http.StatusConflict, "email_taken")
}
