package application_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

// adminFixture has an admin, a plain user and the admin use cases.
type adminFixture struct {
	*harness
	admin, plain inbound.Principal
	plainPair    inbound.TokenPair
	users        *application.AdminUsers
	trail        *application.AuditTrail
}

func newAdminFixture(t *testing.T) adminFixture {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := application.NewCreateUser(h.deps).CreateUser(ctx, inbound.CreateUserCommand{
		Email: "root@example.com", FullName: "Root", Role: "admin", Password: goodPassword,
	}); err != nil {
		t.Fatal(err)
	}
	plain := h.mustSignup(t, "ada@example.com")
	return adminFixture{
		harness: h, admin: h.principal(t, h.mustLogin(t, "root@example.com")), plain: h.principal(t, plain),
		plainPair: plain, users: application.NewAdminUsers(h.deps), trail: application.NewAuditTrail(h.deps),
	}
}

func TestAdminUseCasesRefuseNonAdmins(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	id := f.admin.User.ID()
	checks := map[string]error{
		"list":   second(f.users.ListUsers(ctx, f.plain, inbound.ListUsersQuery{})),
		"get":    second(f.users.GetUser(ctx, f.plain, id)),
		"update": second(f.users.UpdateUser(ctx, f.plain, id, inbound.UpdateUserCommand{})),
		"delete": f.users.DeleteUser(ctx, f.plain, id),
		"list s": second(f.users.ListUserSessions(ctx, f.plain, id)),
		"revoke": f.users.RevokeUserSessions(ctx, f.plain, id),
		"audit":  second(f.trail.ListAudit(ctx, f.plain, inbound.AuditQuery{})),
	}
	for name, err := range checks {
		if !errors.Is(err, inbound.ErrForbidden) {
			t.Errorf("%s: err = %v, want forbidden", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestAdminCannotDemoteDisableOrDeleteItself(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	userRole, yes := "user", true
	self := f.admin.User.ID()
	for name, err := range map[string]error{
		"demote":  second(f.users.UpdateUser(ctx, f.admin, self, inbound.UpdateUserCommand{Role: &userRole})),
		"disable": second(f.users.UpdateUser(ctx, f.admin, self, inbound.UpdateUserCommand{Disabled: &yes})),
		"delete":  f.users.DeleteUser(ctx, f.admin, self),
	} {
		if !errors.Is(err, inbound.ErrCannotModifySelf) {
			t.Errorf("%s: err = %v, want cannot modify self", name, err)
		}
	}
	name := "Root Renamed"
	if _, err := f.users.UpdateUser(ctx, f.admin, self, inbound.UpdateUserCommand{FullName: &name}); err != nil {
		t.Fatalf("renaming oneself is fine: %v", err)
	}
}

func TestAdminDisableRevokesSessionsAndIsAudited(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	yes, admin := true, "admin"
	u, err := f.users.UpdateUser(ctx, f.admin, f.plain.User.ID(), inbound.UpdateUserCommand{Disabled: &yes, Role: &admin})
	if err != nil || !u.Disabled() || u.Role() != user.RoleAdmin {
		t.Fatalf("update: %v %+v", err, u)
	}
	if _, err := f.auth.Authenticate(ctx, f.plainPair.AccessToken); !errors.Is(err, inbound.ErrSessionRevoked) && !errors.Is(err, inbound.ErrUserDisabled) {
		t.Fatalf("disabled user's token: %v", err)
	}
	if s, _ := f.store.Sessions().Get(ctx, f.plain.SessionID); s.RevokeReason() != session.ReasonUserDisabled {
		t.Fatalf("session must be revoked for the disabled user, reason %q", s.RevokeReason())
	}
	types := f.eventTypes(t)
	if !slices.Contains(types, audit.RoleChanged) || !slices.Contains(types, audit.UserDisabled) {
		t.Fatalf("events %v", types)
	}
	for _, e := range f.events(t) {
		if e.Type == audit.RoleChanged && (e.Detail["from"] != "user" || e.Detail["to"] != "admin" || e.Detail["actor"] != string(f.admin.User.ID())) {
			t.Fatalf("role change detail %v", e.Detail)
		}
	}
}

func TestAdminDeleteUserRemovesSessionsKeepsAudit(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	if err := f.users.DeleteUser(ctx, f.admin, f.plain.User.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.users.GetUser(ctx, f.admin, f.plain.User.ID()); !errors.Is(err, user.ErrNotFound) {
		t.Fatalf("deleted user: %v", err)
	}
	if _, err := f.store.Sessions().Get(ctx, f.plain.SessionID); !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("sessions must go with the user: %v", err)
	}
	page, err := f.trail.ListAudit(ctx, f.admin, inbound.AuditQuery{UserID: string(f.plain.User.ID()), Type: "user_deleted"})
	if err != nil || len(page.Events) != 1 || page.Events[0].Detail["email"] != "ada@example.com" {
		t.Fatalf("audit after delete: %v %+v", err, page)
	}
	if err := f.users.DeleteUser(ctx, f.admin, f.plain.User.ID()); !errors.Is(err, user.ErrNotFound) {
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
		page, err := f.users.ListUsers(ctx, f.admin, inbound.ListUsersQuery{Limit: 2, Cursor: cursor})
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
	page, err := f.users.ListUsers(ctx, f.admin, inbound.ListUsersQuery{EmailPrefix: " B"})
	if err != nil || len(page.Users) != 2 || page.NextCursor != "" {
		t.Fatalf("prefix b: %v %d users cursor %q", err, len(page.Users), page.NextCursor)
	}
	for _, q := range []inbound.ListUsersQuery{{Limit: 101}, {Limit: -1}, {Cursor: "!!"}, {Cursor: "bm90LWFuLWlk"}} {
		if _, err := f.users.ListUsers(ctx, f.admin, q); err == nil {
			t.Errorf("query %+v must be refused", q)
		}
	}
}

func TestAdminSessionsOfAUser(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	list, err := f.users.ListUserSessions(ctx, f.admin, f.plain.User.ID())
	if err != nil || len(list) != 1 {
		t.Fatalf("sessions: %v %d", err, len(list))
	}
	if err := f.users.RevokeUserSessions(ctx, f.admin, f.plain.User.ID()); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.users.ListUserSessions(ctx, f.admin, f.plain.User.ID()); len(list) != 0 {
		t.Fatalf("left %d sessions", len(list))
	}
	if _, err := f.users.ListUserSessions(ctx, f.admin, "00000000-0000-7000-8000-00000000ffff"); !errors.Is(err, user.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}

func TestAuditTrailFiltersPagesAndValidates(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	page, err := f.trail.ListAudit(ctx, f.admin, inbound.AuditQuery{Type: "signup"})
	if err != nil || len(page.Events) != 1 || page.Events[0].UserID != f.plain.User.ID() {
		t.Fatalf("signup events: %v %+v", err, page)
	}
	all, _ := f.trail.ListAudit(ctx, f.admin, inbound.AuditQuery{Limit: 100})
	first, _ := f.trail.ListAudit(ctx, f.admin, inbound.AuditQuery{Limit: 1})
	rest, _ := f.trail.ListAudit(ctx, f.admin, inbound.AuditQuery{Limit: 100, Cursor: first.NextCursor})
	if len(all.Events) < 2 || first.NextCursor == "" || len(rest.Events) != len(all.Events)-1 || rest.Events[0].ID != all.Events[1].ID {
		t.Fatalf("paging: all %d, rest %d", len(all.Events), len(rest.Events))
	}
	for _, q := range []inbound.AuditQuery{{Type: "nope"}, {UserID: "x"}, {Limit: 1000}, {Cursor: "%%"}} {
		if _, err := f.trail.ListAudit(ctx, f.admin, q); err == nil {
			t.Errorf("query %+v must be refused", q)
		}
	}
}
