package application_test

import (
	"context"
	"errors"
	"testing"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
)

func TestCreateUserWithRole(t *testing.T) {
	h := newHarness(t)
	create := h.createUser
	u, err := create.Handle(context.Background(), inbound.CreateUserCommand{
		Email: "Root@Example.com", FullName: "Root", Role: "admin", Password: goodPassword,
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.Role() != user.RoleAdmin || u.Email().String() != "root@example.com" {
		t.Fatalf("got role %s email %s", u.Role(), u.Email())
	}
	pair := h.mustLogin(t, "root@example.com")
	if h.principal(t, pair).User.Role() != user.RoleAdmin {
		t.Fatal("the admin must be able to log in as admin")
	}
	_, err = create.Handle(context.Background(), inbound.CreateUserCommand{Email: "root@example.com", FullName: "R", Role: "admin", Password: goodPassword})
	if !errors.Is(err, user.ErrEmailTaken) {
		t.Fatalf("duplicate: err = %v", err)
	}
	_, err = create.Handle(context.Background(), inbound.CreateUserCommand{Email: "x@example.com", FullName: "R", Role: "superuser", Password: "password"})
	var ve *validation.Error
	if !errors.As(err, &ve) || len(ve.Fields) != 2 || !hasField(err, "role") || !hasField(err, "password") {
		t.Fatalf("bad role and common password must both be reported: %v", err)
	}
}
