package e2e

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// auditEvent is the AuditEvent resource.
type auditEvent struct {
	ID        string            `json:"id"`
	Type      string            `json:"type"`
	UserID    *string           `json:"userId"`
	SessionID *string           `json:"sessionId"`
	IP        string            `json:"ip"`
	UserAgent string            `json:"userAgent"`
	At        string            `json:"at"`
	Detail    map[string]string `json:"detail"`
}

// auditPage is the body of GET /v1/admin/audit.
type auditPage struct {
	Events     []auditEvent `json:"events"`
	NextCursor *string      `json:"nextCursor"`
}

// audit lists one page of the audit trail, requiring 200, and returns the
// raw body with it.
func (s *server) audit(t testing.TB, token string, q url.Values) (auditPage, []byte) {
	t.Helper()
	r := s.do(t, http.MethodGet, "/v1/admin/audit?"+q.Encode(), nil, bearer(token))
	r.wantStatus(t, http.StatusOK)
	var page auditPage
	r.decode(t, &page)
	return page, r.Body
}

// auditFlow is what the scripted flow leaves behind: the administrator who
// reads the trail, the main user, and every secret that went over the wire.
type auditFlow struct {
	admin   account
	user    account
	secrets []string
}

// runAuditFlow drives one instance through every kind of audited event.
func runAuditFlow(t *testing.T) (*server, auditFlow) {
	t.Helper()
	clock := newClock()
	s := startServer(t, map[string]string{
		"AUTHD_AUTH_REFRESH_REUSE_GRACE": "1s",
		"AUTHD_LOCKOUT_MAX_FAILURES":     "3",
	}, withClock(clock))
	var f auditFlow
	keep := func(tokens ...string) { f.secrets = append(f.secrets, tokens...) }

	f.admin = s.signupAdmin(t, "audra@example.com")
	f.user = s.signup(t, "ivy@example.com")
	keep(f.admin.AccessToken, f.admin.RefreshToken, f.user.AccessToken, f.user.RefreshToken)

	const wrongPassword = "wrong-Password-for-ivy-77"
	s.do(t, http.MethodPost, "/v1/auth/login", map[string]any{"email": f.user.Email, "password": wrongPassword}).
		wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	keep(wrongPassword, defaultPassword)

	login := s.login(t, f.user.Email, f.user.Password)
	next := s.mustRefresh(t, login.RefreshToken)
	grace := s.mustRefresh(t, login.RefreshToken) // within the grace interval
	keep(login.AccessToken, login.RefreshToken, next.AccessToken, next.RefreshToken, grace.AccessToken)
	clock.Advance(2 * time.Second)
	s.refresh(t, login.RefreshToken).wantProblem(t, http.StatusUnauthorized, "refresh_token_reused")

	s.logout(t, f.user.RefreshToken).wantStatus(t, http.StatusNoContent)

	current := s.login(t, f.user.Email, f.user.Password)
	doomed := s.login(t, f.user.Email, f.user.Password)
	keep(current.AccessToken, current.RefreshToken, doomed.AccessToken, doomed.RefreshToken)
	s.do(t, http.MethodDelete, "/v1/auth/sessions/"+sessionOf(t, s, doomed.AccessToken), nil, bearer(current.AccessToken)).
		wantStatus(t, http.StatusNoContent)

	const newPassword = "brand-New-password-9x7q"
	s.do(t, http.MethodPost, "/v1/auth/password",
		map[string]any{"currentPassword": f.user.Password, "newPassword": newPassword},
		bearer(current.AccessToken)).wantStatus(t, http.StatusNoContent)
	keep(newPassword)

	other := s.signup(t, "jill@example.com")
	keep(other.AccessToken, other.RefreshToken)
	s.patchUser(t, f.admin.AccessToken, other.User.ID, map[string]any{"role": "admin"}).wantStatus(t, http.StatusOK)
	s.patchUser(t, f.admin.AccessToken, other.User.ID, map[string]any{"disabled": true}).wantStatus(t, http.StatusOK)
	s.do(t, http.MethodDelete, "/v1/admin/users/"+other.User.ID, nil, bearer(f.admin.AccessToken)).
		wantStatus(t, http.StatusNoContent)

	ghost := map[string]any{"email": "ghost@example.com", "password": "ghost-Password-123"}
	keep("ghost-Password-123")
	for range 3 {
		s.do(t, http.MethodPost, "/v1/auth/login", ghost).wantProblem(t, http.StatusUnauthorized, "invalid_credentials")
	}
	s.do(t, http.MethodPost, "/v1/auth/login", ghost).wantProblem(t, http.StatusTooManyRequests, "too_many_attempts")
	return s, f
}

// sessionOf returns the id of the session an access token belongs to.
func sessionOf(t testing.TB, s *server, accessToken string) string {
	t.Helper()
	for _, sess := range s.sessions(t, accessToken) {
		if sess.Current {
			return sess.ID
		}
	}
	t.Fatal("no current session in the caller's list")
	return ""
}

// flowTypes are the event types the scripted flow must leave.
var flowTypes = []string{
	"signup", "login_failed", "login_succeeded", "refreshed", "refresh_grace_hit",
	"refresh_reuse_detected", "logout", "session_revoked", "password_changed",
	"role_changed", "user_disabled", "user_deleted", "login_locked",
}

func TestAuditTrailRecordsTheFlow(t *testing.T) {
	t.Parallel()
	s, f := runAuditFlow(t)
	page, raw := s.audit(t, f.admin.AccessToken, url.Values{"limit": {"100"}})
	if page.NextCursor != nil {
		t.Fatalf("%d events fill more than one page of 100", len(page.Events))
	}
	events := page.Events

	for _, typ := range flowTypes {
		if !slices.ContainsFunc(events, func(e auditEvent) bool { return e.Type == typ }) {
			t.Errorf("no %s event in the trail", typ)
		}
	}
	ids := map[string]bool{}
	for i, e := range events {
		if e.IP != "127.0.0.1" || e.UserAgent != "authd-e2e" {
			t.Errorf("event %s (%s) has ip %q userAgent %q", e.ID, e.Type, e.IP, e.UserAgent)
		}
		if e.ID == "" || ids[e.ID] || e.Detail == nil {
			t.Errorf("event %d: id %q repeated or empty, or no detail object", i, e.ID)
		}
		ids[e.ID] = true
		at, err := time.Parse(time.RFC3339, e.At)
		if err != nil {
			t.Fatalf("event %s at %q: %v", e.ID, e.At, err)
		}
		if i > 0 {
			prev, _ := time.Parse(time.RFC3339, events[i-1].At)
			if at.After(prev) {
				t.Errorf("event %d (%s, %s) is newer than the one before it (%s)", i, e.Type, e.At, events[i-1].At)
			}
		}
	}
	// The last thing the flow did comes first, the first thing last.
	if events[0].Type != "login_locked" {
		t.Errorf("newest event is %s, want login_locked", events[0].Type)
	}
	if last := events[len(events)-1]; last.Type != "signup" || last.UserID == nil || *last.UserID != f.admin.User.ID {
		t.Errorf("oldest event is %+v, want the administrator's signup", last)
	}

	text := string(raw)
	for _, secret := range f.secrets {
		if strings.Contains(text, secret) {
			t.Errorf("the audit trail holds a password or token (%.12s...)", secret)
		}
	}
	for _, bad := range []string{"$argon2", "eyJ"} {
		if strings.Contains(text, bad) {
			t.Errorf("the audit trail holds %q", bad)
		}
	}
}

func TestAuditTrailFiltersAndPages(t *testing.T) {
	t.Parallel()
	s, f := runAuditFlow(t)
	all, _ := s.audit(t, f.admin.AccessToken, url.Values{"limit": {"100"}})

	byType, _ := s.audit(t, f.admin.AccessToken, url.Values{"type": {"login_failed"}, "limit": {"100"}})
	want := 0
	for _, e := range all.Events {
		if e.Type == "login_failed" {
			want++
		}
	}
	if len(byType.Events) != want || want < 4 {
		t.Fatalf("type=login_failed gave %d events, want all %d (at least 4)", len(byType.Events), want)
	}
	for _, e := range byType.Events {
		if e.Type != "login_failed" {
			t.Fatalf("type=login_failed gave a %s event", e.Type)
		}
	}

	byUser, _ := s.audit(t, f.admin.AccessToken, url.Values{"userId": {f.user.User.ID}, "limit": {"100"}})
	var types []string
	for _, e := range byUser.Events {
		if e.UserID == nil || *e.UserID != f.user.User.ID {
			t.Fatalf("userId filter gave an event of another user: %+v", e)
		}
		types = append(types, e.Type)
	}
	for _, typ := range []string{"signup", "login_succeeded", "refreshed", "refresh_grace_hit",
		"refresh_reuse_detected", "logout", "session_revoked", "password_changed"} {
		if !slices.Contains(types, typ) {
			t.Errorf("userId filter misses the user's %s event; got %v", typ, types)
		}
	}

	// Paging with limit=2 visits every event once, in the same order.
	var paged []string
	q := url.Values{"limit": {"2"}}
	for range len(all.Events) {
		page, _ := s.audit(t, f.admin.AccessToken, q)
		if len(page.Events) > 2 {
			t.Fatalf("page of %d events with limit=2", len(page.Events))
		}
		for _, e := range page.Events {
			paged = append(paged, e.ID)
		}
		if page.NextCursor == nil {
			break
		}
		q.Set("cursor", *page.NextCursor)
	}
	var wantIDs []string
	for _, e := range all.Events {
		wantIDs = append(wantIDs, e.ID)
	}
	if !slices.Equal(paged, wantIDs) {
		t.Fatalf("paging visited %d events %v, want %d %v", len(paged), paged, len(wantIDs), wantIDs)
	}

	for _, bad := range []url.Values{
		{"type": {"nonsense"}},
		{"limit": {"0"}},
		{"limit": {"101"}},
	} {
		s.do(t, http.MethodGet, "/v1/admin/audit?"+bad.Encode(), nil, bearer(f.admin.AccessToken)).
			wantProblem(t, http.StatusBadRequest, "validation_failed")
	}
}
