package application_test

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"testing"

	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// adminFixture has an admin, a plain user and the admin use cases.
type adminFixture struct {
	*harness
	admin, plain inbound.Principal
	plainPair    inbound.TokenPair

	listUsers          *application.ListUsers
	getUser            *application.GetUser
	updateUser         *application.UpdateUser
	deleteUser         *application.DeleteUser
	listUserSessions   *application.ListUserSessions
	revokeUserSessions *application.RevokeUserSessions
	listAudit          *application.ListAudit
}

func newAdminFixture(t *testing.T) adminFixture {
	t.Helper()
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.createUser.Handle(ctx, inbound.CreateUserCommand{
		Email: "root@example.com", FullName: "Root", Role: "admin", Password: goodPassword,
	}); err != nil {
		t.Fatal(err)
	}
	plain := h.mustSignup(t, "ada@example.com")
	tx := h.store.Transactor()
	return adminFixture{
		harness: h, admin: h.principal(t, h.mustLogin(t, "root@example.com")), plain: h.principal(t, plain),
		plainPair:          plain,
		listUsers:          application.NewListUsers(h.store.Users()),
		getUser:            application.NewGetUser(h.store.Users()),
		updateUser:         application.NewUpdateUser(tx, h.clock, h.ids),
		deleteUser:         application.NewDeleteUser(tx, h.clock, h.ids),
		listUserSessions:   application.NewListUserSessions(h.store.Users(), h.store.Sessions(), h.clock),
		revokeUserSessions: application.NewRevokeUserSessions(tx, h.clock, h.ids),
		listAudit:          application.NewListAudit(h.store.Audit()),
	}
}

func TestAdminUseCasesRefuseNonAdmins(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	id := f.admin.User.ID()
	p := f.plain
	checks := map[string]error{
		"list":   second(f.listUsers.Handle(ctx, inbound.ListUsersQuery{Principal: p})),
		"get":    second(f.getUser.Handle(ctx, inbound.GetUserQuery{Principal: p, UserID: id})),
		"update": second(f.updateUser.Handle(ctx, inbound.UpdateUserCommand{Principal: p, UserID: id})),
		"delete": f.deleteUser.Handle(ctx, inbound.DeleteUserCommand{Principal: p, UserID: id}),
		"list s": second(f.listUserSessions.Handle(ctx, inbound.ListUserSessionsQuery{Principal: p, UserID: id})),
		"revoke": f.revokeUserSessions.Handle(ctx, inbound.RevokeUserSessionsCommand{Principal: p, UserID: id}),
		"audit":  second(f.listAudit.Handle(ctx, inbound.ListAuditQuery{Principal: p})),
	}
	for name, err := range checks {
		if !errors.Is(err, inbound.ErrForbidden) {
			t.Errorf("%s: err = %v, want forbidden", name, err)
		}
	}
	// And nothing happened to the admin the plain user aimed at.
	if _, err := f.store.Users().Get(ctx, id); err != nil {
		t.Fatalf("target after refused delete: %v", err)
	}
	f.principal(t, f.mustLogin(t, "root@example.com"))
}

func second[T any](_ T, err error) error { return err }

func TestAdminCannotDemoteDisableOrDeleteItself(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	userRole, yes := "user", true
	self := f.admin.User.ID()
	for name, err := range map[string]error{
		"demote":  second(f.updateUser.Handle(ctx, inbound.UpdateUserCommand{Principal: f.admin, UserID: self, Role: &userRole})),
		"disable": second(f.updateUser.Handle(ctx, inbound.UpdateUserCommand{Principal: f.admin, UserID: self, Disabled: &yes})),
		"delete":  f.deleteUser.Handle(ctx, inbound.DeleteUserCommand{Principal: f.admin, UserID: self}),
	} {
		if !errors.Is(err, inbound.ErrCannotModifySelf) {
			t.Errorf("%s: err = %v, want cannot modify self", name, err)
		}
	}
	if u, err := f.store.Users().Get(ctx, self); err != nil || u.Role() != user.RoleAdmin || u.Disabled() {
		t.Fatalf("the admin after refused changes: %v %+v", err, u)
	}
	name := "Root Renamed"
	u, err := f.updateUser.Handle(ctx, inbound.UpdateUserCommand{Principal: f.admin, UserID: self, FullName: &name})
	if err != nil {
		t.Fatalf("renaming oneself is fine: %v", err)
	}
	if u.FullName().String() != name {
		t.Fatalf("full name %q, want %q", u.FullName(), name)
	}
}

func TestAdminDisableRevokesSessionsAndIsAudited(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	yes, admin := true, "admin"
	u, err := f.updateUser.Handle(ctx, inbound.UpdateUserCommand{Principal: f.admin, UserID: f.plain.User.ID(), Disabled: &yes, Role: &admin})
	if err != nil || !u.Disabled() || u.Role() != user.RoleAdmin {
		t.Fatalf("update: %v %+v", err, u)
	}
	if _, err := f.authenticate(f.plainPair.AccessToken); !errors.Is(err, session.ErrRevoked) && !errors.Is(err, user.ErrDisabled) {
		t.Fatalf("disabled user's token: %v", err)
	}
	if s := f.storedSession(t, f.plain.SessionID); s.RevokeReason() != session.ReasonUserDisabled {
		t.Fatalf("session must be revoked for the disabled user, reason %q", s.RevokeReason())
	}
	types := f.eventTypes(t)
	if !slices.Contains(types, audit.RoleChanged) || !slices.Contains(types, audit.UserDisabled) {
		t.Fatalf("events %v", types)
	}
	for _, e := range f.events(t) {
		if e.Type == audit.RoleChanged && (e.Detail["from"] != "user" || e.Detail["to"] != "admin" || e.Detail["actor"] != f.admin.User.ID().String()) {
			t.Fatalf("role change detail %v", e.Detail)
		}
	}
}

func TestAdminDeleteUserRemovesSessionsKeepsAudit(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	// Three sessions of the plain user: the signup's, a live login and one
	// that has already ended.
	live := f.mustLogin(t, "ada@example.com")
	ended := f.mustLogin(t, "ada@example.com")
	if err := f.logout.Handle(ctx, inbound.LogoutCommand{RefreshToken: ended.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	ids := []session.ID{f.plain.SessionID, sessionIDOf(t, live), sessionIDOf(t, ended)}

	if err := f.deleteUser.Handle(ctx, inbound.DeleteUserCommand{Principal: f.admin, UserID: f.plain.User.ID()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.getUser.Handle(ctx, inbound.GetUserQuery{Principal: f.admin, UserID: f.plain.User.ID()}); !errors.Is(err, user.ErrNotFound) {
		t.Fatalf("deleted user: %v", err)
	}
	// The memory store does not cascade: the use case itself must have
	// deleted every session of the user, live or ended.
	active, err := f.store.Sessions().ListActive(ctx, f.plain.User.ID(), f.clock.Now())
	if err != nil || len(active) != 0 {
		t.Fatalf("active sessions of the deleted user: %d, %v", len(active), err)
	}
	for _, id := range ids {
		if _, err := f.store.Sessions().Get(ctx, id); !errors.Is(err, session.ErrNotFound) {
			t.Fatalf("session %s must go with the user: %v", id, err)
		}
	}
	if err := refreshErr(f.harness, live.RefreshToken); !errors.Is(err, outbound.ErrRefreshTokenInvalid) {
		t.Fatalf("refresh token of the deleted user: %v", err)
	}
	if _, err := f.authenticate(live.AccessToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("access token of the deleted user: %v", err)
	}
	if s := f.storedSession(t, f.admin.SessionID); !s.IsActive(f.clock.Now()) {
		t.Fatal("the admin's own session must be untouched")
	}

	page, err := f.listAudit.Handle(ctx, inbound.ListAuditQuery{Principal: f.admin, UserID: f.plain.User.ID(), Type: "user_deleted"})
	if err != nil || len(page.Events) != 1 || page.Events[0].Detail["email"] != "ada@example.com" ||
		page.Events[0].Detail["actor"] != f.admin.User.ID().String() {
		t.Fatalf("audit after delete: %v %+v", err, page)
	}
	if err := f.deleteUser.Handle(ctx, inbound.DeleteUserCommand{Principal: f.admin, UserID: f.plain.User.ID()}); !errors.Is(err, user.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestAdminListUsersPagesWithCursorAndPrefix(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	for _, e := range []string{"bob@example.com", "bea@example.com", "carl@example.com"} {
		f.mustSignup(t, e)
	}
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		page, err := f.listUsers.Handle(ctx, inbound.ListUsersQuery{Principal: f.admin, Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Users {
			seen = append(seen, u.Email().String())
		}
		if cursor = page.NextCursor; cursor == "" {
			if pages != 2 {
				t.Fatalf("5 users in pages of 2: want 3 pages, got %d", pages+1)
			}
			break
		}
	}
	want := []string{"root@example.com", "ada@example.com", "bob@example.com", "bea@example.com", "carl@example.com"}
	if !slices.Equal(seen, want) {
		t.Fatalf("seen %v, want creation order %v", seen, want)
	}
	page, err := f.listUsers.Handle(ctx, inbound.ListUsersQuery{Principal: f.admin, EmailPrefix: " B"})
	if err != nil || len(page.Users) != 2 || page.NextCursor != "" {
		t.Fatalf("prefix b: %v %d users cursor %q", err, len(page.Users), page.NextCursor)
	}
	upper := base64.RawURLEncoding.EncodeToString([]byte("00000000-0000-7000-8000-00000000000A"))
	for _, tc := range []struct {
		q     inbound.ListUsersQuery
		field string
	}{
		{inbound.ListUsersQuery{Limit: 101}, "limit"},
		{inbound.ListUsersQuery{Limit: -1}, "limit"},
		{inbound.ListUsersQuery{Cursor: "!!"}, "cursor"},
		{inbound.ListUsersQuery{Cursor: "bm90LWFuLWlk"}, "cursor"}, // "not-an-id"
		{inbound.ListUsersQuery{Cursor: upper}, "cursor"},          // not the form this server issues
	} {
		tc.q.Principal = f.admin
		_, err := f.listUsers.Handle(ctx, tc.q)
		if !hasField(err, tc.field) {
			t.Errorf("limit %d cursor %q: err = %v, want a validation error on %s", tc.q.Limit, tc.q.Cursor, err, tc.field)
		}
	}
}

func TestAdminSessionsOfAUser(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	of := func(id user.ID) inbound.ListUserSessionsQuery {
		return inbound.ListUserSessionsQuery{Principal: f.admin, UserID: id}
	}
	list, err := f.listUserSessions.Handle(ctx, of(f.plain.User.ID()))
	if err != nil || len(list) != 1 || list[0].ID() != f.plain.SessionID {
		t.Fatalf("sessions: %v %d", err, len(list))
	}
	if err := f.revokeUserSessions.Handle(ctx, inbound.RevokeUserSessionsCommand{Principal: f.admin, UserID: f.plain.User.ID()}); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.listUserSessions.Handle(ctx, of(f.plain.User.ID())); len(list) != 0 {
		t.Fatalf("left %d sessions", len(list))
	}
	if s := f.storedSession(t, f.plain.SessionID); s.RevokeReason() != session.ReasonAdmin {
		t.Fatalf("revoke reason %q, want %q", s.RevokeReason(), session.ReasonAdmin)
	}
	events := f.events(t)
	if e := events[len(events)-1]; e.Type != audit.SessionRevoked || e.UserID != f.plain.User.ID() ||
		e.Detail["count"] != "1" || e.Detail["reason"] != "admin" || e.Detail["actor"] != f.admin.User.ID().String() {
		t.Fatalf("revocation event %+v", e)
	}
	unknown := mustUserID(t, "00000000-0000-7000-8000-00000000ffff")
	if _, err := f.listUserSessions.Handle(ctx, of(unknown)); !errors.Is(err, user.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	if err := f.revokeUserSessions.Handle(ctx, inbound.RevokeUserSessionsCommand{Principal: f.admin, UserID: unknown}); !errors.Is(err, user.ErrNotFound) {
		t.Fatalf("revoke for unknown user: %v", err)
	}
}

func TestAuditTrailFiltersPagesAndValidates(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	list := func(q inbound.ListAuditQuery) (inbound.AuditPage, error) {
		q.Principal = f.admin
		return f.listAudit.Handle(ctx, q)
	}
	page, err := list(inbound.ListAuditQuery{Type: "signup"})
	if err != nil || len(page.Events) != 1 || page.Events[0].UserID != f.plain.User.ID() {
		t.Fatalf("signup events: %v %+v", err, page)
	}
	all, _ := list(inbound.ListAuditQuery{Limit: 100})
	first, _ := list(inbound.ListAuditQuery{Limit: 1})
	rest, _ := list(inbound.ListAuditQuery{Limit: 100, Cursor: first.NextCursor})
	if len(all.Events) < 2 || first.NextCursor == "" || len(rest.Events) != len(all.Events)-1 || rest.Events[0].ID != all.Events[1].ID {
		t.Fatalf("paging: all %d, rest %d", len(all.Events), len(rest.Events))
	}
	// A user filter keeps that user's events only; the zero id keeps all.
	mine, err := list(inbound.ListAuditQuery{UserID: f.admin.User.ID(), Limit: 100})
	if err != nil || len(mine.Events) == 0 || len(mine.Events) >= len(all.Events) {
		t.Fatalf("admin's events: %v, %d of %d", err, len(mine.Events), len(all.Events))
	}
	for _, e := range mine.Events {
		if e.UserID != f.admin.User.ID() {
			t.Fatalf("user filter let through %+v", e)
		}
	}
	for _, tc := range []struct {
		q     inbound.ListAuditQuery
		field string
	}{
		{inbound.ListAuditQuery{Type: "nope"}, "type"},
		{inbound.ListAuditQuery{Limit: 1000}, "limit"},
		{inbound.ListAuditQuery{Cursor: "%%"}, "cursor"},
	} {
		if _, err := list(tc.q); !hasField(err, tc.field) {
			t.Errorf("query %+v: err = %v, want a validation error on %s", tc.q, err, tc.field)
		}
	}
}

// hasField reports whether err is a validation error naming field.
func hasField(err error, field string) bool {
	var ve *validation.Error
	if !errors.As(err, &ve) {
		return false
	}
	return slices.ContainsFunc(ve.Fields, func(f validation.FieldError) bool { return f.Field == field })
}
