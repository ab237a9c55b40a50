package application_test

import (
	"context"
	"errors"
	"testing"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

func (h *harness) requestChange(p inbound.Principal, newEmail, password string) error {
	return h.mail.requestChange.Handle(context.Background(), inbound.RequestEmailChangeCommand{
		Principal: p, NewEmail: newEmail, CurrentPassword: password,
	})
}

func (h *harness) confirmChange(token string) (*user.User, error) {
	return h.mail.confirmChange.Handle(context.Background(), inbound.ConfirmEmailChangeCommand{Token: token})
}

func TestEmailChangeConfirmsFromTheNewMailboxAndNotifiesTheOld(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	other := h.mustLogin(t, "ada@example.com")
	p := h.principal(t, pair)
	if err := h.requestChange(p, "Ada@New.example.com", goodPassword); err != nil {
		t.Fatalf("request: %v", err)
	}
	sent := h.deliverAll(t)
	if len(sent) != 2 {
		t.Fatalf("%d mails after the request, want the confirmation and the notice", len(sent))
	}
	var confirm, notice outbound.Mail
	for _, m := range sent {
		switch {
		case m.To == "ada@new.example.com" && m.Purpose == outbound.MailConfirmEmailChange:
			confirm = m
		case m.To == "ada@example.com" && m.Purpose == outbound.MailEmailChangeRequested:
			notice = m
		}
	}
	if confirm.Content.Code != "" || notice.Content.NewEmail != "ada@new.example.com" || notice.Content.Link != "" {
		t.Fatalf("confirmation %+v, notice %+v", confirm.Content, notice.Content)
	}
	if got := h.userByEmail(t, "ada@example.com"); got.Email().String() != "ada@example.com" {
		t.Fatal("the address changed before the confirmation")
	}

	u, err := h.confirmChange(tokenOf(t, confirm))
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	if u.Email().String() != "ada@new.example.com" || !u.EmailVerified() {
		t.Fatalf("after the confirmation: %s verified=%v", u.Email(), u.EmailVerified())
	}
	done := h.lastMail(t, "ada@example.com", outbound.MailEmailChanged)
	if done.Content.NewEmail != "ada@new.example.com" {
		t.Fatalf("the notice of the change: %+v", done.Content)
	}
	// Other sessions stay; the new address signs in, the old one no more.
	if _, err := h.authenticate(other.AccessToken); err != nil {
		t.Fatalf("another session ended: %v", err)
	}
	h.mustLogin(t, "ada@new.example.com")
	if _, err := h.confirmChange(tokenOf(t, confirm)); err == nil {
		t.Fatal("the confirmation worked twice")
	}
	var types []audit.Type
	for _, e := range h.events(t) {
		if e.Type == audit.EmailChangeRequested || e.Type == audit.EmailChanged {
			types = append(types, e.Type)
		}
	}
	if !equalTypes(types, audit.EmailChangeRequested, audit.EmailChanged) {
		t.Fatalf("events %v", types)
	}
}

func TestEmailChangeRequestIsChecked(t *testing.T) {
	h := newHarness(t)
	p := h.principal(t, h.mustSignup(t, "ada@example.com"))
	h.mustSignup(t, "grace@example.com")
	if err := h.requestChange(p, "new@example.com", "wrong password"); !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if err := h.requestChange(p, "GRACE@example.com", goodPassword); !errors.Is(err, user.ErrEmailTaken) {
		t.Fatalf("taken address: %v", err)
	}
	for _, bad := range []string{"ada@example.com", "not an address", ""} {
		if err := h.requestChange(p, bad, goodPassword); !isValidation(err) {
			t.Fatalf("new address %q: %v, want a validation error", bad, err)
		}
	}
	if err := h.requestChange(p, "new@example.com", ""); !isValidation(err) {
		t.Fatalf("no current password: %v", err)
	}
	if got := h.deliverAll(t); len(got) != 0 {
		t.Fatalf("refused requests mailed %d messages", len(got))
	}
}

func TestConfirmingAnAddressTakenMeanwhileChangesNothing(t *testing.T) {
	h := newHarness(t)
	p := h.principal(t, h.mustSignup(t, "ada@example.com"))
	if err := h.requestChange(p, "new@example.com", goodPassword); err != nil {
		t.Fatal(err)
	}
	confirm := h.lastMail(t, "new@example.com", outbound.MailConfirmEmailChange)
	h.mustSignup(t, "new@example.com")
	if _, err := h.confirmChange(tokenOf(t, confirm)); !errors.Is(err, user.ErrEmailTaken) {
		t.Fatalf("confirm onto a taken address: %v, want ErrEmailTaken", err)
	}
	if got := h.userByEmail(t, "ada@example.com"); got.Email().String() != "ada@example.com" {
		t.Fatal("the account moved")
	}
	if got := h.deliverAll(t); len(got) != 0 {
		t.Fatalf("a failed confirmation mailed %d messages", len(got))
	}
	wantInvalid(t, "a malformed token", func() error { _, err := h.confirmChange("x"); return err }())
}

func TestUpdateProfileRenamesAndRecords(t *testing.T) {
	h := newHarness(t)
	p := h.principal(t, h.mustSignup(t, "ada@example.com"))
	u, err := h.mail.updateProfile.Handle(context.Background(), inbound.UpdateProfileCommand{Principal: p, FullName: "  Ada King  "})
	if err != nil || u.FullName().String() != "Ada King" {
		t.Fatalf("rename: %v, %v", u, err)
	}
	if h.userByEmail(t, "ada@example.com").FullName().String() != "Ada King" {
		t.Fatal("the rename was not stored")
	}
	if _, err := h.mail.updateProfile.Handle(context.Background(), inbound.UpdateProfileCommand{Principal: p, FullName: " "}); !isValidation(err) {
		t.Fatalf("blank name: %v", err)
	}
	if got := h.eventTypes(t); !equalTypes(got, audit.Signup, audit.ProfileUpdated) {
		t.Fatalf("events %v", got)
	}
}
