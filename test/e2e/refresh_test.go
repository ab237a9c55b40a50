package e2e

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/system"
)

// refreshFailureCodes are the answers the contract allows for a refresh
// token whose session is over or whose user may no longer sign in.
var refreshFailureCodes = []string{"session_revoked", "refresh_token_reused", "refresh_token_invalid", "user_disabled"}

// wantRefreshRefused checks that a refresh token no longer rotates.
func (s *server) wantRefreshRefused(t *testing.T, refreshToken string) {
	t.Helper()
	r := s.refresh(t, refreshToken)
	r.wantStatus(t, http.StatusUnauthorized)
	var p problem
	r.decode(t, &p)
	if !slices.Contains(refreshFailureCodes, p.Code) {
		t.Errorf("refused refresh has code %q, want one of %v", p.Code, refreshFailureCodes)
	}
}

func TestRefreshRotates(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "hana@example.com")

	r := s.refresh(t, a.RefreshToken)
	wantKeys(t, "refresh response", r.object(t), "tokenType", "accessToken", "expiresIn", "refreshToken", "refreshExpiresAt", "user")
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	first := r.tokens(t, http.StatusOK)
	second := s.mustRefresh(t, first.RefreshToken)

	if first.RefreshToken == a.RefreshToken || second.RefreshToken == first.RefreshToken || second.RefreshToken == a.RefreshToken {
		t.Error("refresh did not rotate the refresh token")
	}
	if first.AccessToken == a.AccessToken || second.AccessToken == first.AccessToken {
		t.Error("refresh did not issue a new access token")
	}
	if first.User != a.User || second.User != a.User || second.TokenType != "Bearer" || second.ExpiresIn != 900 {
		t.Errorf("refresh response %+v does not describe the same user", second)
	}
	for _, tok := range []tokenResponse{first, second} {
		if got, want := sessionID(t, tok.AccessToken), sessionID(t, a.AccessToken); got != want {
			t.Errorf("refresh moved to session %s, want %s", got, want)
		}
		s.meUser(t, tok.AccessToken)
	}
}

func TestRefreshGraceReturnsTheSameSuccessor(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := startServer(t, nil, withClock(clock))
	a := s.signup(t, "ivan@example.com")

	first := s.mustRefresh(t, a.RefreshToken)
	clock.Advance(9 * time.Second) // the default grace is 10 s
	again := s.mustRefresh(t, a.RefreshToken)

	if again.RefreshToken != first.RefreshToken {
		t.Errorf("grace answer has refresh token %q, want the byte-identical successor %q", again.RefreshToken, first.RefreshToken)
	}
	if again.AccessToken == first.AccessToken {
		t.Error("grace answer repeats the access token instead of issuing a fresh one")
	}
	s.meUser(t, first.AccessToken)
	s.meUser(t, again.AccessToken)

	// Neither tab was logged out: the chain goes on from the successor.
	next := s.mustRefresh(t, first.RefreshToken)
	if next.RefreshToken == first.RefreshToken {
		t.Error("the successor did not rotate")
	}
	s.meUser(t, next.AccessToken)
}

func TestRefreshReuseAfterGraceRevokesTheSession(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := startServer(t, map[string]string{"AUTHD_AUTH_REFRESH_REUSE_GRACE": "1s"}, withClock(clock))
	a := s.signup(t, "jade@example.com")
	other := s.login(t, a.Email, a.Password)

	successor := s.mustRefresh(t, a.RefreshToken)
	clock.Advance(2 * time.Second)
	s.refresh(t, a.RefreshToken).wantProblem(t, http.StatusUnauthorized, "refresh_token_reused")

	// The successor dies with the session, and so do its access tokens,
	// although they have not expired.
	s.wantRefreshRefused(t, successor.RefreshToken)
	s.wantRefused(t, successor.AccessToken, "session_revoked")
	s.wantRefused(t, a.AccessToken, "session_revoked")

	// The user's other session is not touched.
	s.meUser(t, other.AccessToken)
	s.mustRefresh(t, other.RefreshToken)
}

func TestRefreshGraceCoversOnlyTheImmediatePredecessor(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil) // 10 s grace: everything below happens within it
	a := s.signup(t, "kira@example.com")
	gen2 := s.mustRefresh(t, a.RefreshToken)
	gen3 := s.mustRefresh(t, gen2.RefreshToken)

	s.refresh(t, a.RefreshToken).wantProblem(t, http.StatusUnauthorized, "refresh_token_reused")
	s.wantRefreshRefused(t, gen3.RefreshToken)
	s.wantRefreshRefused(t, gen2.RefreshToken)
	s.wantRefused(t, gen3.AccessToken, "session_revoked")
}

func TestRefreshGraceNeverRevivesAnEndedSession(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  map[string]string
		end  func(t *testing.T, s *server, clock *system.ManualClock, owner, successor tokenResponse)
	}{
		{"logged out", nil, func(t *testing.T, s *server, _ *system.ManualClock, _, successor tokenResponse) {
			s.logout(t, successor.RefreshToken).wantStatus(t, http.StatusNoContent)
		}},
		{"revoked by its user", nil, func(t *testing.T, s *server, _ *system.ManualClock, owner, successor tokenResponse) {
			path := "/v1/auth/sessions/" + sessionID(t, successor.AccessToken)
			s.do(t, http.MethodDelete, path, nil, bearer(owner.AccessToken)).wantStatus(t, http.StatusNoContent)
		}},
		{"idle-expired", map[string]string{"AUTHD_AUTH_SESSION_IDLE_TIMEOUT": "5s"}, func(t *testing.T, _ *server, clock *system.ManualClock, _, _ tokenResponse) {
			clock.Advance(6 * time.Second) // still within the 10 s grace
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := newClock()
			s := startServer(t, c.env, withClock(clock))
			a := s.signup(t, "liam@example.com")
			owner := s.login(t, a.Email, a.Password)
			clock.Advance(time.Second)
			successor := s.mustRefresh(t, a.RefreshToken)

			c.end(t, s, clock, owner, successor)
			s.wantRefreshRefused(t, a.RefreshToken)
			s.wantRefreshRefused(t, successor.RefreshToken)
			s.wantRefused(t, successor.AccessToken, "session_revoked")
		})
	}
}

func TestRefreshAndAccessTokensAreNotInterchangeable(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "pia@example.com")

	s.refresh(t, a.AccessToken).wantProblem(t, http.StatusUnauthorized, "refresh_token_invalid")

	r := s.me(t, a.RefreshToken)
	r.wantStatus(t, http.StatusUnauthorized)
	var p problem
	r.decode(t, &p)
	if p.Code != "token_invalid" && p.Code != "unauthorized" {
		t.Errorf("refresh token as bearer: code %q, want token_invalid or unauthorized", p.Code)
	}
	if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("WWW-Authenticate %q, want a Bearer challenge", r.Header.Get("WWW-Authenticate"))
	}

	// A tampered refresh token is not one either.
	tampered := a.RefreshToken[:len(a.RefreshToken)-1] + "A"
	if tampered == a.RefreshToken {
		tampered = a.RefreshToken[:len(a.RefreshToken)-1] + "B"
	}
	s.refresh(t, tampered).wantProblem(t, http.StatusUnauthorized, "refresh_token_invalid")

	// None of this harmed the session.
	s.meUser(t, a.AccessToken)
	s.mustRefresh(t, a.RefreshToken)
}

// TestRefreshTokensAreNotStoredInPlaintext dumps every row of every table
// as text and looks for the secrets a client holds.
func TestRefreshTokensAreNotStoredInPlaintext(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "quinn@example.com")
	secrets := []string{a.Password, a.AccessToken, a.RefreshToken}
	for _, start := range []string{a.RefreshToken, s.login(t, a.Email, a.Password).RefreshToken} {
		tok := start
		for range 3 {
			next := s.mustRefresh(t, tok)
			secrets = append(secrets, next.AccessToken, next.RefreshToken)
			tok = next.RefreshToken
		}
	}

	db := s.openDB(t)
	tables := queryStrings(t, db, `SELECT quote_ident(table_name) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	var dump strings.Builder
	for _, table := range tables {
		for _, row := range queryStrings(t, db, `SELECT t::text FROM `+table+` t`) {
			dump.WriteString(row + "\n")
		}
	}
	dump.WriteString(s.sessionStoreDump(t)) // sessions kept in Redis, when they are
	if !strings.Contains(dump.String(), a.Email) {
		t.Fatalf("the dump of tables %v does not even hold the user's email", tables)
	}
	text := strings.ToLower(dump.String())
	for i, secret := range secrets {
		forms := []string{strings.ToLower(secret)}
		// A token kept as bytes shows up hex-encoded (bytea) or in standard base64.
		if raw, err := base64.RawURLEncoding.DecodeString(secret); err == nil {
			forms = append(forms, hex.EncodeToString(raw), strings.ToLower(base64.StdEncoding.EncodeToString(raw)))
		}
		for _, form := range forms {
			if strings.Contains(text, form) {
				t.Errorf("secret #%d (%d characters) appears in the database", i, len(secret))
			}
		}
	}
	for _, h := range queryStrings(t, db, `SELECT password_hash FROM users`) {
		if !strings.HasPrefix(h, "$argon2id$") {
			t.Errorf("password stored as %.12q..., want an argon2id PHC string", h)
		}
	}
}
