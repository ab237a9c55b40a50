package application_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

func mode(m application.EmailVerification) func(*settings) {
	return func(s *settings) { s.verification = m }
}

func (h *harness) verify(proof inbound.SecretProof) error {
	_, err := h.mail.verifyEmail.Handle(context.Background(), inbound.VerifyEmailCommand{Proof: proof})
	return err
}

func (h *harness) sendVerification(t *testing.T, email string) {
	t.Helper()
	if err := h.mail.sendVerification.Handle(context.Background(), inbound.SendVerificationCommand{Email: email}); err != nil {
		t.Fatalf("send verification to %s: %v", email, err)
	}
}

func (h *harness) storedUser(t *testing.T, email string) userState {
	t.Helper()
	u := h.userByEmail(t, email)
	return userState{verified: u.EmailVerified(), email: u.Email().String()}
}

type userState struct {
	verified bool
	email    string
}

func TestOptionalSignupMailsAVerificationAndSignsIn(t *testing.T) {
	h := newHarness(t, mode(application.VerificationOptional))
	pair := h.mustSignup(t, "ada@example.com")
	if pair.AccessToken == "" || pair.Pending {
		t.Fatalf("optional signup did not sign in: %+v", pair)
	}
	if h.mail.signal.count() != 1 {
		t.Fatalf("the sender was woken %d times, want once after the commit", h.mail.signal.count())
	}
	m := h.lastMail(t, "ada@example.com", outbound.MailVerifyEmail)
	if !strings.HasPrefix(m.Content.Link, testLinks.VerifyEmail+"#token=") || !sixDigits.MatchString(m.Content.Code) {
		t.Fatalf("link %q code %q", m.Content.Link, m.Content.Code)
	}
	if got := h.eventTypes(t); !equalTypes(got, audit.Signup, audit.EmailVerificationSent) {
		t.Fatalf("events %v", got)
	}
	if err := h.verify(inbound.SecretProof{Email: "ADA@example.com ", Code: m.Content.Code}); err != nil {
		t.Fatalf("verify by code: %v", err)
	}
	if !h.storedUser(t, "ada@example.com").verified {
		t.Fatal("the address is not verified")
	}
}

func TestOffSignupMailsNothing(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	if got := h.deliverAll(t); len(got) != 0 {
		t.Fatalf("signup with verification off mailed %d messages", len(got))
	}
}

func TestRequiredSignupOpensNoSessionUntilVerified(t *testing.T) {
	h := newHarness(t, mode(application.VerificationRequired))
	pair := h.mustSignup(t, "ada@example.com")
	if !pair.Pending || pair.AccessToken != "" || pair.RefreshToken != "" || pair.User == nil {
		t.Fatalf("required signup: %+v", pair)
	}
	sessions, err := h.store.Sessions().ListActive(context.Background(), pair.User.ID(), h.clock.Now())
	if err != nil || len(sessions) != 0 {
		t.Fatalf("required signup opened %d sessions (%v)", len(sessions), err)
	}
	_, err = h.login.Handle(context.Background(), inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword})
	if !errors.Is(err, inbound.ErrEmailNotVerified) {
		t.Fatalf("login with the right password before verifying: %v, want ErrEmailNotVerified", err)
	}
	_, err = h.login.Handle(context.Background(), inbound.LoginCommand{Email: "ada@example.com", Password: "not the password"})
	if !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("login with a wrong password: %v, want ErrInvalidCredentials", err)
	}
	m := h.lastMail(t, "ada@example.com", outbound.MailVerifyEmail)
	if err := h.verify(inbound.SecretProof{Token: tokenOf(t, m)}); err != nil {
		t.Fatalf("verify by token: %v", err)
	}
	h.mustLogin(t, "ada@example.com")
}

func TestVerificationTokenAndCodeDieTogether(t *testing.T) {
	h := newHarness(t, mode(application.VerificationOptional))
	h.mustSignup(t, "ada@example.com")
	m := h.lastMail(t, "ada@example.com", outbound.MailVerifyEmail)
	if err := h.verify(inbound.SecretProof{Token: tokenOf(t, m)}); err != nil {
		t.Fatal(err)
	}
	wantInvalid(t, "the token again", h.verify(inbound.SecretProof{Token: tokenOf(t, m)}))
	wantInvalid(t, "the code after the token", h.verify(inbound.SecretProof{Email: "ada@example.com", Code: m.Content.Code}))
	if got := h.eventTypes(t); !equalTypes(got, audit.Signup, audit.EmailVerificationSent, audit.EmailVerified) {
		t.Fatalf("events %v", got)
	}
}

func TestSendVerificationAnswersAlikeAndMailsOnlyTheUnverified(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.mustSignup(t, "verified@example.com")
	h.markVerified(t, "verified@example.com")
	h.mustSignup(t, "disabled@example.com")
	h.disable(t, "disabled@example.com")

	for _, email := range []string{"ada@example.com", "nobody@example.com", "verified@example.com", "disabled@example.com"} {
		h.sendVerification(t, email)
	}
	got := h.deliverAll(t)
	if len(got) != 1 || got[0].To != "ada@example.com" {
		t.Fatalf("mails %v, want one to ada@example.com", got)
	}
	mailed := map[string]string{}
	for _, e := range h.events(t) {
		if e.Type == audit.EmailVerificationSent {
			mailed[e.Detail["email"]] = e.Detail["mailed"]
		}
	}
	want := map[string]string{"ada@example.com": "true", "nobody@example.com": "false", "verified@example.com": "false", "disabled@example.com": "false"}
	for k, v := range want {
		if mailed[k] != v {
			t.Fatalf("audit says %v, want %v", mailed, want)
		}
	}
	if err := h.mail.sendVerification.Handle(context.Background(), inbound.SendVerificationCommand{Email: "not an address"}); !isValidation(err) {
		t.Fatalf("a malformed address: %v", err)
	}
}

func TestANewerVerificationKillsTheOlder(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.sendVerification(t, "ada@example.com")
	first := h.lastMail(t, "ada@example.com", outbound.MailVerifyEmail)
	h.sendVerification(t, "ada@example.com")
	second := h.lastMail(t, "ada@example.com", outbound.MailVerifyEmail)
	wantInvalid(t, "the older token", h.verify(inbound.SecretProof{Token: tokenOf(t, first)}))
	if first.Content.Code != second.Content.Code {
		wantInvalid(t, "the older code", h.verify(inbound.SecretProof{Email: "ada@example.com", Code: first.Content.Code}))
	}
	if err := h.verify(inbound.SecretProof{Token: tokenOf(t, second)}); err != nil {
		t.Fatalf("the newer token: %v", err)
	}
}

func TestFiveWrongCodesKillTheVerification(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.sendVerification(t, "ada@example.com")
	m := h.lastMail(t, "ada@example.com", outbound.MailVerifyEmail)
	bad := inbound.SecretProof{Email: "ada@example.com", Code: wrongCode(m.Content.Code)}
	for range 5 {
		wantInvalid(t, "a wrong code", h.verify(bad))
	}
	wantInvalid(t, "the right code after five wrong ones", h.verify(inbound.SecretProof{Email: "ada@example.com", Code: m.Content.Code}))
	wantInvalid(t, "the token after five wrong codes", h.verify(inbound.SecretProof{Token: tokenOf(t, m)}))
}

func TestVerificationProofsAreCheckedForShapeAndExpiry(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.sendVerification(t, "ada@example.com")
	m := h.lastMail(t, "ada@example.com", outbound.MailVerifyEmail)
	for _, p := range []inbound.SecretProof{
		{}, {Token: tokenOf(t, m), Code: m.Content.Code}, {Email: "ada@example.com"}, {Code: m.Content.Code},
		{Email: "nope", Code: m.Content.Code},
	} {
		if err := h.verify(p); !isValidation(err) {
			t.Fatalf("proof %+v: %v, want a validation error", p, err)
		}
	}
	wantInvalid(t, "a malformed token", h.verify(inbound.SecretProof{Token: "abc"}))
	wantInvalid(t, "a malformed code", h.verify(inbound.SecretProof{Email: "ada@example.com", Code: "12 456"}))
	wantInvalid(t, "an unknown address", h.verify(inbound.SecretProof{Email: "nobody@example.com", Code: m.Content.Code}))
	h.clock.Advance(24 * time.Hour)
	wantInvalid(t, "an expired token", h.verify(inbound.SecretProof{Token: tokenOf(t, m)}))
}

func TestMailOffRefusesWhatMustMailButSignupStillWorks(t *testing.T) {
	h := newHarness(t, mode(application.VerificationOptional), func(s *settings) { s.mailOff = true })
	h.mustSignup(t, "ada@example.com")
	ctx := context.Background()
	for what, err := range map[string]error{
		"send verification": h.mail.sendVerification.Handle(ctx, inbound.SendVerificationCommand{Email: "ada@example.com"}),
		"forgot password":   h.mail.forgot.Handle(ctx, inbound.ForgotPasswordCommand{Email: "ada@example.com"}),
	} {
		if !errors.Is(err, outbound.ErrMailDisabled) {
			t.Fatalf("%s: %v, want ErrMailDisabled", what, err)
		}
	}
	if got := h.deliverAll(t); len(got) != 0 {
		t.Fatalf("%d mails with mail off", len(got))
	}
}

func isValidation(err error) bool {
	_, ok := errors.AsType[*validation.Error](err)
	return ok
}

func equalTypes(got []audit.Type, want ...audit.Type) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// TestOperatorAccountsAreVerified: the operator vouches for the address,
// so the first administrator can sign in with verification required.
func TestOperatorAccountsAreVerified(t *testing.T) {
	h := newHarness(t, mode(application.VerificationRequired))
	u, err := h.createUser.Handle(context.Background(), inbound.CreateUserCommand{
		Email: "root@example.com", FullName: "Root", Role: "admin", Password: goodPassword,
	})
	if err != nil || !u.EmailVerified() {
		t.Fatalf("create: %v, verified=%v", err, u != nil && u.EmailVerified())
	}
	h.mustLogin(t, "root@example.com")
}
