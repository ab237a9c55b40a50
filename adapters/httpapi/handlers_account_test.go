package httpapi

import (
	"net/http"
	"slices"
	"testing"
)

func TestMeAnswersTheUser(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.authed(http.MethodGet, "/v1/auth/me", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	body := jsonObject(t, rec)
	if !slices.Equal(keysOf(body), []string{"user"}) {
		t.Fatalf("keys = %v", keysOf(body))
	}
	checkUser(t, body["user"])
	if p := hs.f.me.last().Principal; p.SessionID.String() != testSessionID || p.User.ID().String() != testUserID ||
		hs.f.authenticate.last().BearerToken != goodToken {
		t.Errorf("principal %+v, bearer %q", p, hs.f.authenticate.last().BearerToken)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Error("missing no-store")
	}
}

func TestListSessions(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.authed(http.MethodGet, "/v1/auth/sessions", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	list, ok := jsonObject(t, rec)["sessions"].([]any)
	if !ok || len(list) != 2 {
		t.Fatalf("sessions = %s", rec.Body)
	}
	first := list[0].(map[string]any)
	wantKeys := sorted("id", "userAgent", "ip", "createdAt", "lastUsedAt", "expiresAt", "current")
	if !slices.Equal(keysOf(first), wantKeys) {
		t.Fatalf("keys = %v", keysOf(first))
	}
	want := map[string]any{
		"id": testSessionID, "userAgent": "curl/8", "ip": "192.0.2.7", "createdAt": "2026-05-01T08:30:15Z",
		"lastUsedAt": "2026-06-01T11:59:00Z", "expiresAt": "2026-06-08T12:00:00Z", "current": true,
	}
	for k, w := range want {
		if first[k] != w {
			t.Errorf("%s = %v, want %v", k, first[k], w)
		}
	}
	if list[1].(map[string]any)["current"] != false {
		t.Error("second session marked current")
	}
}

func TestListSessionsEmptyIsAnArray(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.f.listSessions.result = nil
	rec := hs.authed(http.MethodGet, "/v1/auth/sessions", "")
	if rec.Body.String() != `{"sessions":[]}` {
		t.Fatalf("body = %s", rec.Body)
	}
}

func TestRevokeSession(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	rec := hs.authed(http.MethodDelete, "/v1/auth/sessions/0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5C", "")
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	cmd := hs.f.revokeSession.last()
	if cmd.SessionID.String() != "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c" || cmd.Principal.SessionID.String() != testSessionID {
		t.Errorf("command = %+v", cmd)
	}
}

func TestRevokeSessionRefusesNonUUIDs(t *testing.T) {
	for _, id := range []string{"abc", "0190a1b2c3d47e5f8a9b0c1d2e3f4a5c", "{0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c}", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g"} {
		hs := newHarness(t, bodyOpts())
		rec := hs.authed(http.MethodDelete, "/v1/auth/sessions/"+id, "")
		expectProblem(t, rec, http.StatusNotFound, "not_found")
		if hs.f.called("RevokeSession") {
			t.Errorf("%q reached the use case", id)
		}
	}
}

func TestNoContentEndpoints(t *testing.T) {
	cases := []struct {
		method, path, body, useCase string
	}{
		{http.MethodDelete, "/v1/auth/sessions", "", "RevokeOtherSessions"},
		{http.MethodPost, "/v1/auth/logout-all", "", "LogoutAll"},
		{http.MethodPost, "/v1/auth/password", `{"currentPassword":"old","newPassword":"new one"}`, "ChangePassword"},
	}
	for _, tc := range cases {
		t.Run(tc.useCase, func(t *testing.T) {
			hs := newHarness(t, bodyOpts())
			rec := hs.authed(tc.method, tc.path, tc.body)
			if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
				t.Fatalf("status = %d body %s", rec.Code, rec.Body)
			}
			if !hs.f.called(tc.useCase) || hs.f.principalSent(tc.useCase).SessionID.String() != testSessionID {
				t.Errorf("%s not called with the principal", tc.useCase)
			}
		})
	}
}

func TestChangePasswordPassesBothPasswords(t *testing.T) {
	hs := newHarness(t, bodyOpts())
	hs.authed(http.MethodPost, "/v1/auth/password", `{"currentPassword":"old","newPassword":"new one"}`)
	if cmd := hs.f.changePassword.last(); cmd.CurrentPassword != "old" || cmd.NewPassword != "new one" {
		t.Errorf("command = %+v", cmd)
	}
}
