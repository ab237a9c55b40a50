package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// defaultPassword passes the policy for every address the suite uses: long
// enough, not common, and free of their local parts.
const defaultPassword = "correct-Horse-battery-9"

// tokenResponse is the body of signup, login and refresh.
type tokenResponse struct {
	TokenType        string   `json:"tokenType"`
	AccessToken      string   `json:"accessToken"`
	ExpiresIn        int      `json:"expiresIn"`
	RefreshToken     string   `json:"refreshToken"`
	RefreshExpiresAt string   `json:"refreshExpiresAt"`
	User             userBody `json:"user"`
}

// userBody is the User resource.
type userBody struct {
	ID            string `json:"id"`
	Email         string `json:"email"`
	FullName      string `json:"fullName"`
	Role          string `json:"role"`
	Disabled      bool   `json:"disabled"`
	EmailVerified bool   `json:"emailVerified"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
}

// sessionBody is the Session resource.
type sessionBody struct {
	ID         string `json:"id"`
	UserAgent  string `json:"userAgent"`
	IP         string `json:"ip"`
	CreatedAt  string `json:"createdAt"`
	LastUsedAt string `json:"lastUsedAt"`
	ExpiresAt  string `json:"expiresAt"`
	Current    bool   `json:"current"`
}

// account is a user the test signed up, with the tokens of its first session.
type account struct {
	Email    string
	Password string
	tokenResponse
}

// tokens decodes a token response after checking the status.
func (r response) tokens(t testing.TB, status int) tokenResponse {
	t.Helper()
	r.wantStatus(t, status)
	var tr tokenResponse
	r.decode(t, &tr)
	if tr.AccessToken == "" {
		t.Fatalf("token response without accessToken: %s", r.Body)
	}
	return tr
}

// signupBody is a valid signup request for email.
func signupBody(email string) map[string]any {
	local, _, _ := strings.Cut(email, "@")
	return map[string]any{"email": email, "password": defaultPassword, "fullName": "Test " + local}
}

// signup registers email with defaultPassword and returns the account.
func (s *server) signup(t testing.TB, email string, opts ...reqOption) account {
	t.Helper()
	tr := s.do(t, http.MethodPost, "/v1/auth/signup", signupBody(email), opts...).tokens(t, http.StatusCreated)
	return account{Email: email, Password: defaultPassword, tokenResponse: tr}
}

// login opens a new session and returns its tokens.
func (s *server) login(t testing.TB, email, password string, opts ...reqOption) tokenResponse {
	t.Helper()
	body := map[string]any{"email": email, "password": password}
	return s.do(t, http.MethodPost, "/v1/auth/login", body, opts...).tokens(t, http.StatusOK)
}

// refresh presents a refresh token in the JSON body.
func (s *server) refresh(t testing.TB, refreshToken string, opts ...reqOption) response {
	t.Helper()
	return s.do(t, http.MethodPost, "/v1/auth/refresh", map[string]any{"refreshToken": refreshToken}, opts...)
}

// mustRefresh rotates refreshToken and returns the new tokens.
func (s *server) mustRefresh(t testing.TB, refreshToken string) tokenResponse {
	t.Helper()
	return s.refresh(t, refreshToken).tokens(t, http.StatusOK)
}

// me calls GET /v1/auth/me with an access token.
func (s *server) me(t testing.TB, accessToken string) response {
	t.Helper()
	return s.do(t, http.MethodGet, "/v1/auth/me", nil, bearer(accessToken))
}

// meUser returns the user /v1/auth/me reports, requiring 200.
func (s *server) meUser(t testing.TB, accessToken string) userBody {
	t.Helper()
	r := s.me(t, accessToken)
	r.wantStatus(t, http.StatusOK)
	var body struct {
		User userBody `json:"user"`
	}
	r.decode(t, &body)
	return body.User
}

// sessions lists the caller's active sessions, requiring 200.
func (s *server) sessions(t testing.TB, accessToken string) []sessionBody {
	t.Helper()
	r := s.do(t, http.MethodGet, "/v1/auth/sessions", nil, bearer(accessToken))
	r.wantStatus(t, http.StatusOK)
	var body struct {
		Sessions []sessionBody `json:"sessions"`
	}
	r.decode(t, &body)
	return body.Sessions
}

// logout presents a refresh token to POST /v1/auth/logout.
func (s *server) logout(t testing.TB, refreshToken string) response {
	t.Helper()
	return s.do(t, http.MethodPost, "/v1/auth/logout", map[string]any{"refreshToken": refreshToken})
}

// wantRefused checks that an access token no longer opens /v1/auth/me.
func (s *server) wantRefused(t testing.TB, accessToken, code string) {
	t.Helper()
	s.me(t, accessToken).wantProblem(t, http.StatusUnauthorized, code)
}
