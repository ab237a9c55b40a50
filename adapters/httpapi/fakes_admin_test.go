package httpapi

import (
	"testing"

	"github.com/authd/authd/domain/user"
)

// adminUseCases are the names of the admin fakes.
var adminUseCases = []string{"ListUsers", "GetUser", "UpdateUser", "DeleteUser", "ListUserSessions", "RevokeUserSessions", "ListAudit"}

// testAdmin is an administrator account.
func testAdmin(t testing.TB) *user.User {
	t.Helper()
	u, err := user.Rehydrate(user.Snapshot{
		ID: mustID(t, user.ParseID, "0190a1b2-0000-7000-8000-0000000000ad"), Email: "grace@example.com", FullName: "Grace Hopper",
		Role: "admin", PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		CreatedAt: testCreated, UpdatedAt: testCreated,
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}
