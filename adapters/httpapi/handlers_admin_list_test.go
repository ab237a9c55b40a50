package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

func TestAdminListUsersShapeAndQuery(t *testing.T) {
	hs := newAdminHarness(t)
	hs.f.userPage = inbound.UserPage{Users: []*user.User{testUser(t)}, NextCursor: "next-page"}
	rec := hs.authed(http.MethodGet, "/v1/admin/users?limit=5&cursor=abc_-&email=Ada%2B", "")
	body := jsonObject(t, rec)
	if rec.Code != http.StatusOK || !slices.Equal(keysOf(body), []string{"nextCursor", "users"}) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	users, ok := body["users"].([]any)
	if !ok || len(users) != 1 || body["nextCursor"] != "next-page" {
		t.Fatalf("body = %s", rec.Body)
	}
	checkUser(t, users[0])
	want := inbound.ListUsersQuery{Limit: 5, Cursor: "abc_-", EmailPrefix: "Ada+"}
	if hs.f.usersQuery != want {
		t.Errorf("query = %+v, want %+v", hs.f.usersQuery, want)
	}
}

// TestAdminListsEndWithNullCursor: the last page says so with null, and an
// empty page is an empty array.
func TestAdminListsEndWithNullCursor(t *testing.T) {
	hs := newAdminHarness(t)
	if rec := hs.authed(http.MethodGet, "/v1/admin/users", ""); rec.Body.String() != `{"users":[],"nextCursor":null}` {
		t.Errorf("users = %s", rec.Body)
	}
	if hs.f.usersQuery.Limit != inbound.DefaultPageSize {
		t.Errorf("default limit = %d", hs.f.usersQuery.Limit)
	}
	if rec := hs.authed(http.MethodGet, "/v1/admin/audit", ""); rec.Body.String() != `{"events":[],"nextCursor":null}` {
		t.Errorf("audit = %s", rec.Body)
	}
}

func TestAdminListLimitValidation(t *testing.T) {
	for _, path := range []string{"/v1/admin/users", "/v1/admin/audit"} {
		for _, raw := range []string{"0", "101", "1000", "-1", "+5", "5.0", "1e1", "abc", "", " 5", "0x10", "99999999999999999999"} {
			hs := newAdminHarness(t)
			rec := hs.authed(http.MethodGet, path+"?limit="+url.QueryEscape(raw), "")
			p := expectProblem(t, rec, http.StatusBadRequest, "validation_failed")
			if len(p.Errors) != 1 || p.Errors[0].Field != "limit" {
				t.Errorf("%s limit %q: errors %v", path, raw, p.Errors)
			}
			if hs.f.called("ListUsers") || hs.f.called("ListAudit") {
				t.Errorf("%s limit %q reached the use case", path, raw)
			}
		}
		hs := newAdminHarness(t)
		p := expectProblem(t, hs.authed(http.MethodGet, path+"?limit=5&limit=6", ""), http.StatusBadRequest, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != "limit" {
			t.Errorf("repeated limit: %v", p.Errors)
		}
		for _, limit := range []int{1, 20, 100} {
			hs := newAdminHarness(t)
			if rec := hs.authed(http.MethodGet, fmt.Sprintf("%s?limit=%d", path, limit), ""); rec.Code != http.StatusOK {
				t.Errorf("%s limit %d: %d", path, limit, rec.Code)
			}
			if got := max(hs.f.usersQuery.Limit, hs.f.auditQuery.Limit); got != limit {
				t.Errorf("%s limit %d passed as %d", path, limit, got)
			}
		}
	}
}

// TestAdminListRepeatedParameters: every problem is reported at once.
func TestAdminListRepeatedParameters(t *testing.T) {
	hs := newAdminHarness(t)
	rec := hs.authed(http.MethodGet, "/v1/admin/audit?type=a&type=b&limit=0", "")
	p := expectProblem(t, rec, http.StatusBadRequest, "validation_failed")
	if fmt.Sprint(p.Errors) != fmt.Sprint([]fieldProblem{{"type", "must be given at most once"}, {"limit", "must be an integer from 1 to 100"}}) {
		t.Errorf("errors = %v", p.Errors)
	}
}

func TestAdminPatchUser(t *testing.T) {
	hs := newAdminHarness(t)
	rec := hs.authed(http.MethodPatch, "/v1/admin/users/"+targetID, `{"role":"admin","disabled":false,"fullName":"Ada King"}`)
	body := jsonObject(t, rec)
	if rec.Code != http.StatusOK || !slices.Equal(keysOf(body), []string{"user"}) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	checkUser(t, body["user"])
	cmd := hs.f.updateCmd
	if cmd.Role == nil || *cmd.Role != "admin" || cmd.Disabled == nil || *cmd.Disabled || cmd.FullName == nil || *cmd.FullName != "Ada King" {
		t.Errorf("command = %+v", cmd)
	}
	if hs.f.targetID != targetID {
		t.Errorf("target = %q", hs.f.targetID)
	}

	// Absent members stay nil: the use case leaves them as they are.
	hs = newAdminHarness(t)
	if rec := hs.authed(http.MethodPatch, "/v1/admin/users/"+targetID, `{"disabled":true}`); rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if cmd := hs.f.updateCmd; cmd.Role != nil || cmd.FullName != nil || cmd.Disabled == nil || !*cmd.Disabled {
		t.Errorf("command = %+v", cmd)
	}
	hs = newAdminHarness(t)
	if rec := hs.authed(http.MethodPatch, "/v1/admin/users/"+targetID, `{}`); rec.Code != http.StatusOK || hs.f.updateCmd != (inbound.UpdateUserCommand{}) {
		t.Errorf("empty patch: %d %+v", rec.Code, hs.f.updateCmd)
	}
}

// TestAdminPatchIsStrict: the body follows the same rules as every other,
// and null cannot clear a field.
func TestAdminPatchIsStrict(t *testing.T) {
	cases := []struct {
		body   string
		code   string
		fields []fieldProblem
	}{
		{`{"role":"admin","email":"x@y.z"}`, "invalid_json", nil},
		{`{"Role":"admin"}`, "invalid_json", nil},
		{`{"role":"admin","role":"user"}`, "invalid_json", nil},
		{`{"role":"admin"} {}`, "invalid_json", nil},
		{`[]`, "invalid_json", nil},
		{``, "invalid_json", nil},
		{`{"disabled":"true"}`, "validation_failed", []fieldProblem{{"disabled", "must be a boolean"}}},
		{`{"role":1}`, "validation_failed", []fieldProblem{{"role", "must be a string"}}},
		{`{"fullName":{"first":"Ada"}}`, "validation_failed", []fieldProblem{{"fullName", "must be a string"}}},
		{`{"disabled":[true]}`, "validation_failed", []fieldProblem{{"disabled", "must be a boolean"}}},
		{`{"role":null}`, "validation_failed", []fieldProblem{{"role", "must not be null"}}},
		{`{"fullName":null,"disabled":null}`, "validation_failed", []fieldProblem{{"disabled", "must not be null"}, {"fullName", "must not be null"}}},
	}
	for _, tc := range cases {
		hs := newAdminHarness(t)
		r := jsonRequest(http.MethodPatch, "/v1/admin/users/"+targetID, tc.body)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+goodToken)
		p := expectProblem(t, hs.do(r), http.StatusBadRequest, tc.code)
		if fmt.Sprint(p.Errors) != fmt.Sprint(tc.fields) {
			t.Errorf("%s: errors %v, want %v", tc.body, p.Errors, tc.fields)
		}
		if hs.f.called("UpdateUser") {
			t.Errorf("%s reached the use case", tc.body)
		}
	}
	hs := newAdminHarness(t)
	r := jsonRequest(http.MethodPatch, "/v1/admin/users/"+targetID, `{"role":"admin"}`)
	r.Header.Set("Content-Type", "text/plain")
	r.Header.Set("Authorization", "Bearer "+goodToken)
	expectProblem(t, hs.do(r), http.StatusUnsupportedMediaType, "unsupported_media_type")
}

func TestAdminListAuditShapeAndQuery(t *testing.T) {
	hs := newAdminHarness(t)
	at := time.Date(2026, 6, 1, 11, 0, 5, 0, time.FixedZone("CEST", 2*3600))
	hs.f.auditPage = inbound.AuditPage{
		Events: []audit.Event{
			{ID: "e2", Type: audit.RoleChanged, UserID: targetID, SessionID: testSessionID, IP: "192.0.2.7",
				UserAgent: "curl/8", At: at, Detail: map[string]string{"from": "user", "to": "admin"}},
			{ID: "e1", Type: audit.LoginFailed, IP: "192.0.2.8", At: at.Add(-time.Hour)},
		},
		NextCursor: "older",
	}
	rec := hs.authed(http.MethodGet, "/v1/admin/audit?userId="+targetID+"&type=role_changed&limit=2&cursor=c1", "")
	body := jsonObject(t, rec)
	if rec.Code != http.StatusOK || !slices.Equal(keysOf(body), []string{"events", "nextCursor"}) || body["nextCursor"] != "older" {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	want := inbound.AuditQuery{UserID: targetID, Type: "role_changed", Cursor: "c1", Limit: 2}
	if hs.f.auditQuery != want {
		t.Errorf("query = %+v, want %+v", hs.f.auditQuery, want)
	}
	events := body["events"].([]any)
	full, bare := events[0].(map[string]any), events[1].(map[string]any)
	if !slices.Equal(keysOf(full), sorted("id", "type", "userId", "sessionId", "ip", "userAgent", "at", "detail")) {
		t.Fatalf("keys = %v", keysOf(full))
	}
	if full["id"] != "e2" || full["type"] != "role_changed" || full["userId"] != targetID || full["sessionId"] != testSessionID ||
		full["ip"] != "192.0.2.7" || full["userAgent"] != "curl/8" || full["at"] != "2026-06-01T09:00:05Z" ||
		fmt.Sprint(full["detail"]) != "map[from:user to:admin]" {
		t.Errorf("event = %v", full)
	}
	if !slices.Equal(keysOf(bare), keysOf(full)) || bare["userId"] != nil || bare["sessionId"] != nil ||
		bare["userAgent"] != "" || fmt.Sprint(bare["detail"]) != "map[]" {
		t.Errorf("bare event = %v", bare)
	}
}

func TestAdminAuditValidationComesFromTheUseCase(t *testing.T) {
	hs := newAdminHarness(t)
	hs.f.errs["ListAudit"] = user.Invalid("type", "is not a known audit event type")
	p := expectProblem(t, hs.authed(http.MethodGet, "/v1/admin/audit?type=nope", ""), http.StatusBadRequest, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "type" || hs.f.auditQuery.Type != "nope" {
		t.Errorf("errors %v, query %+v", p.Errors, hs.f.auditQuery)
	}
}
