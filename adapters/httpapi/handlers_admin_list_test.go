package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
)

func TestAdminListUsersShapeAndQuery(t *testing.T) {
	hs := newAdminHarness(t)
	hs.f.listUsers.result = inbound.UserPage{Users: []*user.User{testUser(t)}, NextCursor: "next-page"}
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
	got := hs.f.listUsers.last()
	want := inbound.ListUsersQuery{Principal: got.Principal, Limit: 5, Cursor: "abc_-", EmailPrefix: "Ada+"}
	if got != want || got.Principal.User.ID() != testAdmin(t).ID() {
		t.Errorf("query = %+v, want %+v from the admin", got, want)
	}
}

// TestAdminListsEndWithNullCursor: the last page says so with null, and an
// empty page is an empty array.
func TestAdminListsEndWithNullCursor(t *testing.T) {
	hs := newAdminHarness(t)
	if rec := hs.authed(http.MethodGet, "/v1/admin/users", ""); rec.Body.String() != `{"users":[],"nextCursor":null}` {
		t.Errorf("users = %s", rec.Body)
	}
	if got := hs.f.listUsers.last(); got.Limit != inbound.DefaultPageSize || got.Cursor != "" || got.EmailPrefix != "" {
		t.Errorf("default query = %+v", got)
	}
	if rec := hs.authed(http.MethodGet, "/v1/admin/audit", ""); rec.Body.String() != `{"events":[],"nextCursor":null}` {
		t.Errorf("audit = %s", rec.Body)
	}
	// No userId is the zero id: every user.
	if got := hs.f.listAudit.last(); got.Limit != inbound.DefaultPageSize || !got.UserID.IsZero() || got.Type != "" || got.Cursor != "" {
		t.Errorf("default audit query = %+v", got)
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
			if got := max(hs.f.listUsers.last().Limit, hs.f.listAudit.last().Limit); got != limit {
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
	cmd := hs.f.updateUser.last()
	if cmd.Role == nil || *cmd.Role != "admin" || cmd.Disabled == nil || *cmd.Disabled || cmd.FullName == nil || *cmd.FullName != "Ada King" {
		t.Errorf("command = %+v", cmd)
	}
	if cmd.UserID.String() != targetID || cmd.Principal.User.ID() != testAdmin(t).ID() {
		t.Errorf("target %s, principal %+v", cmd.UserID, cmd.Principal)
	}

	// Absent members stay nil: the use case leaves them as they are.
	hs = newAdminHarness(t)
	if rec := hs.authed(http.MethodPatch, "/v1/admin/users/"+targetID, `{"disabled":true}`); rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if cmd := hs.f.updateUser.last(); cmd.Role != nil || cmd.FullName != nil || cmd.Disabled == nil || !*cmd.Disabled {
		t.Errorf("command = %+v", cmd)
	}
	hs = newAdminHarness(t)
	rec = hs.authed(http.MethodPatch, "/v1/admin/users/"+targetID, `{}`)
	if cmd := hs.f.updateUser.last(); rec.Code != http.StatusOK || cmd.Role != nil || cmd.Disabled != nil || cmd.FullName != nil ||
		cmd.UserID.String() != targetID {
		t.Errorf("empty patch: %d %+v", rec.Code, cmd)
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
	const e1, e2 = "0190a1b2-0000-7000-8000-0000000000e1", "0190a1b2-0000-7000-8000-0000000000e2"
	hs.f.listAudit.result = inbound.AuditPage{
		Events: []audit.Event{
			{ID: mustID(t, audit.ParseID, e2), Type: audit.RoleChanged, UserID: mustID(t, user.ParseID, targetID),
				SessionID: mustID(t, session.ParseID, testSessionID), IP: "192.0.2.7",
				UserAgent: "curl/8", At: at, Detail: map[string]string{"from": "user", "to": "admin"}},
			{ID: mustID(t, audit.ParseID, e1), Type: audit.LoginFailed, IP: "192.0.2.8", At: at.Add(-time.Hour)},
		},
		NextCursor: "older",
	}
	// An upper-case id is read as the same id.
	rec := hs.authed(http.MethodGet, "/v1/admin/audit?userId="+strings.ToUpper(targetID)+"&type=role_changed&limit=2&cursor=c1", "")
	body := jsonObject(t, rec)
	if rec.Code != http.StatusOK || !slices.Equal(keysOf(body), []string{"events", "nextCursor"}) || body["nextCursor"] != "older" {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	got := hs.f.listAudit.last()
	want := inbound.ListAuditQuery{Principal: got.Principal, UserID: mustID(t, user.ParseID, targetID), Type: "role_changed", Cursor: "c1", Limit: 2}
	if got != want || got.Principal.User.ID() != testAdmin(t).ID() {
		t.Errorf("query = %+v, want %+v from the admin", got, want)
	}
	events := body["events"].([]any)
	full, bare := events[0].(map[string]any), events[1].(map[string]any)
	if !slices.Equal(keysOf(full), sorted("id", "type", "userId", "sessionId", "ip", "userAgent", "at", "detail")) {
		t.Fatalf("keys = %v", keysOf(full))
	}
	if full["id"] != e2 || full["type"] != "role_changed" || full["userId"] != targetID || full["sessionId"] != testSessionID ||
		full["ip"] != "192.0.2.7" || full["userAgent"] != "curl/8" || full["at"] != "2026-06-01T09:00:05Z" ||
		fmt.Sprint(full["detail"]) != "map[from:user to:admin]" {
		t.Errorf("event = %v", full)
	}
	if !slices.Equal(keysOf(bare), keysOf(full)) || bare["id"] != e1 || bare["userId"] != nil || bare["sessionId"] != nil ||
		bare["userAgent"] != "" || fmt.Sprint(bare["detail"]) != "map[]" {
		t.Errorf("bare event = %v", bare)
	}
}

func TestAdminAuditValidationComesFromTheUseCase(t *testing.T) {
	hs := newAdminHarness(t)
	hs.f.listAudit.err = validation.Invalid("type", "is not a known audit event type")
	p := expectProblem(t, hs.authed(http.MethodGet, "/v1/admin/audit?type=nope", ""), http.StatusBadRequest, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "type" || hs.f.listAudit.last().Type != "nope" {
		t.Errorf("errors %v, query %+v", p.Errors, hs.f.listAudit.last())
	}
}

// TestAdminAuditUserIDIsParsedAtTheEdge: ?userId= must be a user id in
// canonical form; anything else is refused before the use case runs.
func TestAdminAuditUserIDIsParsedAtTheEdge(t *testing.T) {
	bad := []string{"abc", "0190a1b200007000800000000000000a", "{" + targetID + "}", "urn:uuid:" + targetID,
		"0190a1b2-0000-7000-8000-00000000000g", targetID + "0", " " + targetID}
	for _, raw := range bad {
		hs := newAdminHarness(t)
		rec := hs.authed(http.MethodGet, "/v1/admin/audit?userId="+url.QueryEscape(raw), "")
		p := expectProblem(t, rec, http.StatusBadRequest, "validation_failed")
		if fmt.Sprint(p.Errors) != fmt.Sprint([]fieldProblem{{"userId", "must be a user id"}}) {
			t.Errorf("userId %q: errors %v", raw, p.Errors)
		}
		if hs.f.called("ListAudit") {
			t.Errorf("userId %q reached the use case", raw)
		}
	}
	// Each problem is reported once, with the others.
	hs := newAdminHarness(t)
	rec := hs.authed(http.MethodGet, "/v1/admin/audit?userId=abc&userId="+targetID+"&limit=0", "")
	p := expectProblem(t, rec, http.StatusBadRequest, "validation_failed")
	if fmt.Sprint(p.Errors) != fmt.Sprint([]fieldProblem{{"userId", "must be given at most once"}, {"limit", "must be an integer from 1 to 100"}}) {
		t.Errorf("errors = %v", p.Errors)
	}
	rec = hs.authed(http.MethodGet, "/v1/admin/audit?userId=abc&limit=0", "")
	p = expectProblem(t, rec, http.StatusBadRequest, "validation_failed")
	if fmt.Sprint(p.Errors) != fmt.Sprint([]fieldProblem{{"userId", "must be a user id"}, {"limit", "must be an integer from 1 to 100"}}) {
		t.Errorf("errors = %v", p.Errors)
	}
	if hs.f.called("ListAudit") {
		t.Error("a refused query reached the use case")
	}
}
