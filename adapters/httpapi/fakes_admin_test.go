package httpapi

import (
	"context"
	"testing"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

// The admin ports of fakeUseCases: each records its arguments and answers
// with the configured page, user or sessions.

func (f *fakeUseCases) ListUsers(ctx context.Context, p inbound.Principal, q inbound.ListUsersQuery) (inbound.UserPage, error) {
	f.seenPrincipal, f.usersQuery = p, q
	return f.userPage, f.record(ctx, "ListUsers")
}

func (f *fakeUseCases) GetUser(ctx context.Context, p inbound.Principal, id user.ID) (*user.User, error) {
	f.seenPrincipal, f.targetID = p, id
	return f.user, f.record(ctx, "GetUser")
}

func (f *fakeUseCases) UpdateUser(ctx context.Context, p inbound.Principal, id user.ID, cmd inbound.UpdateUserCommand) (*user.User, error) {
	f.seenPrincipal, f.targetID, f.updateCmd = p, id, cmd
	return f.user, f.record(ctx, "UpdateUser")
}

func (f *fakeUseCases) DeleteUser(ctx context.Context, p inbound.Principal, id user.ID) error {
	f.seenPrincipal, f.targetID = p, id
	return f.record(ctx, "DeleteUser")
}

func (f *fakeUseCases) ListUserSessions(ctx context.Context, p inbound.Principal, id user.ID) ([]*session.Session, error) {
	f.seenPrincipal, f.targetID = p, id
	return f.adminSessions, f.record(ctx, "ListUserSessions")
}

func (f *fakeUseCases) RevokeUserSessions(ctx context.Context, p inbound.Principal, id user.ID) error {
	f.seenPrincipal, f.targetID = p, id
	return f.record(ctx, "RevokeUserSessions")
}

func (f *fakeUseCases) ListAudit(ctx context.Context, p inbound.Principal, q inbound.AuditQuery) (inbound.AuditPage, error) {
	f.seenPrincipal, f.auditQuery = p, q
	return f.auditPage, f.record(ctx, "ListAudit")
}

// adminMethods are the names record uses for the admin ports.
var adminMethods = []string{"ListUsers", "GetUser", "UpdateUser", "DeleteUser", "ListUserSessions", "RevokeUserSessions", "ListAudit"}

// testAdmin is an administrator account.
func testAdmin(t testing.TB) *user.User {
	t.Helper()
	u, err := user.Rehydrate(user.Snapshot{
		ID: "0190a1b2-0000-7000-8000-0000000000ad", Email: "grace@example.com", FullName: "Grace Hopper",
		Role: "admin", PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		CreatedAt: testCreated, UpdatedAt: testCreated,
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}
