package user_test

import (
	"testing"
	"time"

	"github.com/authd/authd/domain/user"
)

func registered(t *testing.T, email string) *user.User {
	t.Helper()
	addr, err := user.ParseEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	name, _ := user.ParseFullName("Ada Lovelace")
	hash, _ := user.NewPasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
	u, err := user.Register(mustUserID(t, "00000000-0000-7000-8000-000000000001"), addr, name, hash, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestVerifyEmailNeedsTheAccountsCurrentAddress(t *testing.T) {
	u := registered(t, "ada@example.com")
	other, _ := user.ParseEmail("old@example.com")
	now := time.Unix(100, 0)
	if u.VerifyEmail(other, now) || u.EmailVerified() {
		t.Fatal("a proof of another address verified the account")
	}
	if !u.VerifyEmail(u.Email(), now) || !u.EmailVerified() || !u.UpdatedAt().Equal(now.UTC()) {
		t.Fatalf("verified=%v updatedAt=%v", u.EmailVerified(), u.UpdatedAt())
	}
	if !u.VerifyEmail(u.Email(), now.Add(time.Hour)) || !u.UpdatedAt().Equal(now.UTC()) {
		t.Fatal("verifying a verified address again must succeed and change nothing")
	}
}

func TestChangeEmailMovesToAVerifiedAddress(t *testing.T) {
	u := registered(t, "ada@example.com")
	next, _ := user.ParseEmail("ada@new.example.com")
	u.ChangeEmail(next, time.Unix(200, 0))
	if u.Email() != next || !u.EmailVerified() || u.Snapshot().Email != "ada@new.example.com" {
		t.Fatalf("email %s verified %v", u.Email(), u.EmailVerified())
	}
}
