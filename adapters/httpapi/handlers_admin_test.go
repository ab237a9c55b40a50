package httpapi

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
)

// targetID is the account the admin routes name: the fakes' testUser.
const targetID = testUserID

// adminRoutes are every admin endpoint with a request that succeeds.
var adminRoutes = []struct {
	method, path, body, useCase string
	status                      int
}{
	{http.MethodGet, "/v1/admin/users", "", "ListUsers", 200},
	{http.MethodGet, "/v1/admin/users/" + targetID, "", "GetUser", 200},
	{http.MethodPatch, "/v1/admin/users/" + targetID, `{"disabled":true}`, "UpdateUser", 200},
	{http.MethodDelete, "/v1/admin/users/" + targetID, "", "DeleteUser", 204},
	{http.MethodGet, "/v1/admin/users/" + targetID + "/sessions", "", "ListUserSessions", 200},
	{http.MethodDelete, "/v1/admin/users/" + targetID + "/sessions", "", "RevokeUserSessions", 204},
	{http.MethodGet, "/v1/admin/audit", "", "ListAudit", 200},
}

// newAdminHarness authenticates goodToken as an administrator.
func newAdminHarness(t *testing.T) *harness {
	hs := newHarness(t, bodyOpts())
	hs.f.authenticate.result = inbound.Principal{User: testAdmin(t), SessionID: mustID(t, session.ParseID, testSessionID)}
	return hs
}

func TestAdminRoutesSucceedForAnAdmin(t *testing.T) {
	for _, rt := range adminRoutes {
		t.Run(rt.useCase, func(t *testing.T) {
			hs := newAdminHarness(t)
			rec := hs.authed(rt.method, rt.path, rt.body)
			if rec.Code != rt.status {
				t.Fatalf("status = %d, want %d: %s", rec.Code, rt.status, rec.Body)
			}
			if rt.status == http.StatusNoContent && rec.Body.Len() != 0 {
				t.Errorf("204 with a body: %s", rec.Body)
			}
			if !hs.f.called(rt.useCase) || hs.f.principalSent(rt.useCase).User.ID() != testAdmin(t).ID() {
				t.Errorf("%s not called with the admin principal", rt.useCase)
			}
			if strings.Contains(rt.path, targetID) {
				if id, _ := hs.f.sent(rt.useCase, "UserID").(user.ID); id.String() != targetID {
					t.Errorf("%s got user %v, want %s", rt.useCase, id, targetID)
				}
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Error("admin answer is cacheable")
			}
		})
	}
}

// TestAdminRoutesRefuseOthers: a valid token of a non-admin is 403, no
// token is 401; neither reaches an admin use case.
func TestAdminRoutesRefuseOthers(t *testing.T) {
	for _, rt := range adminRoutes {
		t.Run(rt.useCase, func(t *testing.T) {
			hs := newHarness(t, bodyOpts()) // the fake's principal is a plain user
			expectProblem(t, hs.authed(rt.method, rt.path, rt.body), http.StatusForbidden, "forbidden")

			rec := hs.do(jsonRequest(rt.method, rt.path, rt.body))
			expectProblem(t, rec, http.StatusUnauthorized, "unauthorized")
			if rec.Header().Get("WWW-Authenticate") != "Bearer" {
				t.Errorf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
			}
			for _, m := range adminUseCases {
				if hs.f.called(m) {
					t.Errorf("%s reached the use case", m)
				}
			}
		})
	}
}

func TestAdminRoutesRefuseNonUUIDs(t *testing.T) {
	bad := []string{"abc", "0190a1b200007000800000000000000a", "{0190a1b2-0000-7000-8000-000000000001}", "urn:uuid:0190a1b2-0000-7000-8000-000000000001"}
	for _, rt := range adminRoutes[1:6] {
		for _, id := range bad {
			hs := newAdminHarness(t)
			path := "/v1/admin/users/" + id
			if rt.useCase == "ListUserSessions" || rt.useCase == "RevokeUserSessions" {
				path += "/sessions"
			}
			expectProblem(t, hs.authed(rt.method, path, rt.body), http.StatusNotFound, "not_found")
			if hs.f.called(rt.useCase) {
				t.Errorf("%s %q reached the use case", rt.useCase, id)
			}
		}
	}
}

func TestAdminIDsAreCanonicalised(t *testing.T) {
	hs := newAdminHarness(t)
	hs.authed(http.MethodGet, "/v1/admin/users/0190A1B2-0000-7000-8000-00000000000F", "")
	if got := hs.f.getUser.last().UserID.String(); got != "0190a1b2-0000-7000-8000-00000000000f" {
		t.Errorf("target = %q", got)
	}
}

func TestAdminGetUserShape(t *testing.T) {
	hs := newAdminHarness(t)
	rec := hs.authed(http.MethodGet, "/v1/admin/users/"+targetID, "")
	body := jsonObject(t, rec)
	if !slices.Equal(keysOf(body), []string{"user"}) {
		t.Fatalf("keys = %v", keysOf(body))
	}
	checkUser(t, body["user"])
	if got := hs.f.getUser.last().UserID.String(); got != targetID {
		t.Errorf("target = %q", got)
	}
}

func TestAdminUseCaseErrors(t *testing.T) {
	cases := []struct {
		useCase, method, path, body string
		err                         error
		status                      int
		code                        string
	}{
		{"UpdateUser", http.MethodPatch, "/v1/admin/users/" + targetID, `{"role":"user"}`, inbound.ErrCannotModifySelf, 409, "cannot_modify_self"},
		{"DeleteUser", http.MethodDelete, "/v1/admin/users/" + targetID, "", inbound.ErrCannotModifySelf, 409, "cannot_modify_self"},
		{"GetUser", http.MethodGet, "/v1/admin/users/" + targetID, "", user.ErrNotFound, 404, "not_found"},
		{"ListUsers", http.MethodGet, "/v1/admin/users?cursor=zz", "", validation.Invalid("cursor", "is not a cursor this server issued"), 400, "validation_failed"},
		{"ListAudit", http.MethodGet, "/v1/admin/audit", "", inbound.ErrForbidden, 403, "forbidden"},
	}
	for _, tc := range cases {
		hs := newAdminHarness(t)
		hs.f.named(tc.useCase).failWith(tc.err)
		expectProblem(t, hs.authed(tc.method, tc.path, tc.body), tc.status, tc.code)
	}
}

func TestAdminListUserSessionsMarksOnlyTheCallersSession(t *testing.T) {
	hs := newAdminHarness(t)
	other := "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c"
	hs.f.listUserSessions.result = []*session.Session{testSession(t, other), testSession(t, testSessionID)}
	rec := hs.authed(http.MethodGet, "/v1/admin/users/"+targetID+"/sessions", "")
	list, ok := jsonObject(t, rec)["sessions"].([]any)
	if !ok || len(list) != 2 {
		t.Fatalf("body = %s", rec.Body)
	}
	first, second := list[0].(map[string]any), list[1].(map[string]any)
	if !slices.Equal(keysOf(first), sorted("id", "userAgent", "ip", "createdAt", "lastUsedAt", "expiresAt", "current")) {
		t.Errorf("keys = %v", keysOf(first))
	}
	if first["id"] != other || first["current"] != false || second["current"] != true {
		t.Errorf("sessions = %s", rec.Body)
	}

	hs.f.listUserSessions.result = nil
	if rec := hs.authed(http.MethodGet, "/v1/admin/users/"+targetID+"/sessions", ""); rec.Body.String() != `{"sessions":[]}` {
		t.Errorf("empty list = %s", rec.Body)
	}
}

func TestAdminRoutesAnswerWrongMethodsWithAllow(t *testing.T) {
	hs := newAdminHarness(t)
	rec := hs.do(httptest.NewRequest(http.MethodPut, "/v1/admin/users/"+targetID, nil))
	expectProblem(t, rec, http.StatusMethodNotAllowed, "method_not_allowed")
	if !sameSet(strings.Split(rec.Header().Get("Allow"), ", "), []string{"GET", "PATCH", "DELETE"}) {
		t.Errorf("Allow = %q", rec.Header().Get("Allow"))
	}
}
