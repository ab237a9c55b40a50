package e2e

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// signupAdmin signs email up and promotes it with SQL, as an operator
// would for the first administrator. The tokens stay valid: the role is
// read from the record on every request.
func (s *server) signupAdmin(t testing.TB, email string) account {
	t.Helper()
	a := s.signup(t, email)
	execOne(t, s.openDB(t), `UPDATE users SET role = 'admin' WHERE id = $1`, a.User.ID)
	return a
}

// adminUser fetches one user through the admin API, requiring 200.
func (s *server) adminUser(t testing.TB, token, id string) userBody {
	t.Helper()
	r := s.do(t, http.MethodGet, "/v1/admin/users/"+id, nil, bearer(token))
	r.wantStatus(t, http.StatusOK)
	var body struct {
		User userBody `json:"user"`
	}
	r.decode(t, &body)
	return body.User
}

// patchUser sends PATCH /v1/admin/users/{id}.
func (s *server) patchUser(t testing.TB, token, id string, body map[string]any) response {
	t.Helper()
	return s.do(t, http.MethodPatch, "/v1/admin/users/"+id, body, bearer(token))
}

// userPage is the body of GET /v1/admin/users.
type userPage struct {
	Users      []userBody `json:"users"`
	NextCursor *string    `json:"nextCursor"`
}

func TestAdminRoutesNeedAnAdministrator(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	plain := s.signup(t, "quinn@example.com")
	admin := s.signupAdmin(t, "rosa@example.com")

	routes := []struct{ method, path string }{
		{http.MethodGet, "/v1/admin/users"},
		{http.MethodGet, "/v1/admin/users/" + admin.User.ID},
		{http.MethodPatch, "/v1/admin/users/" + admin.User.ID},
		{http.MethodDelete, "/v1/admin/users/" + admin.User.ID},
		{http.MethodGet, "/v1/admin/users/" + admin.User.ID + "/sessions"},
		{http.MethodDelete, "/v1/admin/users/" + admin.User.ID + "/sessions"},
		{http.MethodGet, "/v1/admin/audit"},
	}
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			var body any
			if rt.method == http.MethodPatch {
				body = map[string]any{"role": "user"}
			}
			s.do(t, rt.method, rt.path, body, bearer(plain.AccessToken)).wantProblem(t, http.StatusForbidden, "forbidden")
			anon := s.do(t, rt.method, rt.path, body)
			anon.wantProblem(t, http.StatusUnauthorized, "unauthorized")
			if anon.Header.Get("WWW-Authenticate") == "" {
				t.Fatal("401 without WWW-Authenticate")
			}
		})
	}
	// Nothing the non-admin tried took effect.
	if got := s.adminUser(t, admin.AccessToken, admin.User.ID); got.Role != "admin" {
		t.Fatalf("admin's role is %q after a non-admin's PATCH", got.Role)
	}
}

func TestAdminListUsers(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	admin := s.signupAdmin(t, "sara@example.com")
	emails := []string{"sara@example.com"}
	for _, e := range []string{"team.a@example.com", "team.b@example.com", "team.c@example.com", "tina@example.org"} {
		s.signup(t, e)
		emails = append(emails, e)
	}

	// Paging with limit=2 visits every user exactly once.
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		q := url.Values{"limit": {"2"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		r := s.do(t, http.MethodGet, "/v1/admin/users?"+q.Encode(), nil, bearer(admin.AccessToken))
		r.wantStatus(t, http.StatusOK)
		if _, ok := r.object(t)["nextCursor"]; !ok {
			t.Fatalf("page without a nextCursor member: %s", r.Body)
		}
		var page userPage
		r.decode(t, &page)
		if len(page.Users) > 2 {
			t.Fatalf("page of %d users with limit=2", len(page.Users))
		}
		for _, u := range page.Users {
			seen = append(seen, u.Email)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	slices.Sort(seen)
	want := slices.Clone(emails)
	slices.Sort(want)
	if !slices.Equal(seen, want) {
		t.Fatalf("paging visited %v, want each of %v once", seen, want)
	}

	// The email filter is a prefix.
	r := s.do(t, http.MethodGet, "/v1/admin/users?email=team.", nil, bearer(admin.AccessToken))
	r.wantStatus(t, http.StatusOK)
	var page userPage
	r.decode(t, &page)
	var got []string
	for _, u := range page.Users {
		got = append(got, u.Email)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"team.a@example.com", "team.b@example.com", "team.c@example.com"}) {
		t.Fatalf("email=team. gave %v", got)
	}
	if page.NextCursor != nil {
		t.Fatalf("a short page has nextCursor %q", *page.NextCursor)
	}
	assertNoSecrets(t, r.Body, defaultPassword)

	for _, bad := range []string{"0", "101", "-1", "ten"} {
		s.do(t, http.MethodGet, "/v1/admin/users?limit="+bad, nil, bearer(admin.AccessToken)).
			wantProblem(t, http.StatusBadRequest, "validation_failed")
	}
}

func TestAdminGetAndPatchUser(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	admin := s.signupAdmin(t, "uma@example.com")
	target := s.signup(t, "vera@example.com")

	got := s.adminUser(t, admin.AccessToken, target.User.ID)
	if got.ID != target.User.ID || got.Email != target.Email || got.Role != "user" {
		t.Fatalf("GET user = %+v", got)
	}
	for _, id := range []string{"not-a-uuid", "01890000-0000-7000-8000-000000000000"} {
		s.do(t, http.MethodGet, "/v1/admin/users/"+id, nil, bearer(admin.AccessToken)).
			wantProblem(t, http.StatusNotFound, "not_found")
		s.patchUser(t, admin.AccessToken, id, map[string]any{"role": "admin"}).
			wantProblem(t, http.StatusNotFound, "not_found")
		s.do(t, http.MethodDelete, "/v1/admin/users/"+id, nil, bearer(admin.AccessToken)).
			wantProblem(t, http.StatusNotFound, "not_found")
	}

	// Promotion shows on the target's next request, with its old token.
	r := s.patchUser(t, admin.AccessToken, target.User.ID, map[string]any{"role": "admin"})
	r.wantStatus(t, http.StatusOK)
	if u := s.meUser(t, target.AccessToken); u.Role != "admin" {
		t.Fatalf("target's /me role %q after promotion, want admin", u.Role)
	}
	s.do(t, http.MethodGet, "/v1/admin/users", nil, bearer(target.AccessToken)).wantStatus(t, http.StatusOK)

	// fullName changes; an unknown role is refused.
	r = s.patchUser(t, admin.AccessToken, target.User.ID, map[string]any{"fullName": "Vera Renamed"})
	r.wantStatus(t, http.StatusOK)
	if u := s.adminUser(t, admin.AccessToken, target.User.ID); u.FullName != "Vera Renamed" {
		t.Fatalf("fullName %q after PATCH", u.FullName)
	}
	s.patchUser(t, admin.AccessToken, target.User.ID, map[string]any{"role": "root"}).
		wantProblem(t, http.StatusBadRequest, "validation_failed")
}

func TestAdminDisableRevokesAccess(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	admin := s.signupAdmin(t, "wanda@example.com")
	target := s.signup(t, "xena@example.com")

	r := s.patchUser(t, admin.AccessToken, target.User.ID, map[string]any{"disabled": true})
	r.wantStatus(t, http.StatusOK)
	var body struct {
		User userBody `json:"user"`
	}
	r.decode(t, &body)
	if !body.User.Disabled {
		t.Fatalf("PATCH disabled answered %s", r.Body)
	}
	if code := s.me(t, target.AccessToken).problemCode(t, http.StatusUnauthorized); code != "user_disabled" && code != "session_revoked" {
		t.Fatalf("disabled user's token refused with %q", code)
	}
	s.wantRefreshRefused(t, target.RefreshToken)
	s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": target.Email, "password": target.Password}).
		wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
}

func TestAdminCannotModifySelf(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	admin := s.signupAdmin(t, "yara@example.com")

	s.patchUser(t, admin.AccessToken, admin.User.ID, map[string]any{"role": "user"}).
		wantProblem(t, http.StatusConflict, "cannot_modify_self")
	s.patchUser(t, admin.AccessToken, admin.User.ID, map[string]any{"disabled": true}).
		wantProblem(t, http.StatusConflict, "cannot_modify_self")
	s.do(t, http.MethodDelete, "/v1/admin/users/"+admin.User.ID, nil, bearer(admin.AccessToken)).
		wantProblem(t, http.StatusConflict, "cannot_modify_self")
	if u := s.meUser(t, admin.AccessToken); u.Role != "admin" || u.Disabled {
		t.Fatalf("admin changed itself: %+v", u)
	}
}

func TestAdminDeleteUser(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	admin := s.signupAdmin(t, "zoe@example.com")
	target := s.signup(t, "abby@example.com")

	s.do(t, http.MethodDelete, "/v1/admin/users/"+target.User.ID, nil, bearer(admin.AccessToken)).
		wantStatus(t, http.StatusNoContent)
	s.do(t, http.MethodGet, "/v1/admin/users/"+target.User.ID, nil, bearer(admin.AccessToken)).
		wantProblem(t, http.StatusNotFound, "not_found")
	s.do(t, http.MethodDelete, "/v1/admin/users/"+target.User.ID, nil, bearer(admin.AccessToken)).
		wantProblem(t, http.StatusNotFound, "not_found")
	s.me(t, target.AccessToken).problemCode(t, http.StatusUnauthorized)
	s.wantRefreshRefused(t, target.RefreshToken)
	// The address is free again.
	s.signup(t, target.Email)
}

func TestAdminUserSessions(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	admin := s.signupAdmin(t, "bella@example.com")
	target := s.signup(t, "cora@example.com")
	second := s.login(t, target.Email, target.Password)

	list := func() []sessionBody {
		r := s.do(t, http.MethodGet, "/v1/admin/users/"+target.User.ID+"/sessions", nil, bearer(admin.AccessToken))
		r.wantStatus(t, http.StatusOK)
		var body struct {
			Sessions []sessionBody `json:"sessions"`
		}
		r.decode(t, &body)
		return body.Sessions
	}
	got := list()
	if len(got) != 2 {
		t.Fatalf("admin sees %d sessions, want 2", len(got))
	}
	for _, sess := range got {
		if sess.Current {
			t.Fatalf("another user's session is marked current: %+v", sess)
		}
	}

	s.do(t, http.MethodDelete, "/v1/admin/users/"+target.User.ID+"/sessions", nil, bearer(admin.AccessToken)).
		wantStatus(t, http.StatusNoContent)
	if got := list(); len(got) != 0 {
		t.Fatalf("%d sessions left after revoking all", len(got))
	}
	s.wantRefused(t, target.AccessToken, "session_revoked")
	s.wantRefused(t, second.AccessToken, "session_revoked")
	s.wantRefreshRefused(t, second.RefreshToken)
	// The admin's own session is untouched.
	s.meUser(t, admin.AccessToken)

	for _, id := range []string{"nope", "01890000-0000-7000-8000-000000000000"} {
		s.do(t, http.MethodGet, "/v1/admin/users/"+id+"/sessions", nil, bearer(admin.AccessToken)).
			wantProblem(t, http.StatusNotFound, "not_found")
	}
}

func TestDemotedAdminLosesAccessOnNextRequest(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	first := s.signupAdmin(t, "dora@example.com")
	second := s.signupAdmin(t, "edna@example.com")

	s.do(t, http.MethodGet, "/v1/admin/users", nil, bearer(second.AccessToken)).wantStatus(t, http.StatusOK)
	s.patchUser(t, first.AccessToken, second.User.ID, map[string]any{"role": "user"}).wantStatus(t, http.StatusOK)
	// Same access token, whose role claim still says admin.
	s.do(t, http.MethodGet, "/v1/admin/users", nil, bearer(second.AccessToken)).wantProblem(t, http.StatusForbidden, "forbidden")
	if u := s.meUser(t, second.AccessToken); u.Role != "user" {
		t.Fatalf("demoted admin's /me role %q", u.Role)
	}
}

// problemCode requires a problem document with the given status and
// returns its code, for refusals the contract lets take more than one code.
func (r response) problemCode(t testing.TB, status int) string {
	t.Helper()
	r.wantStatus(t, status)
	var p problem
	r.decode(t, &p)
	return p.Code
}
