package application_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sealbox"
	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// mailPorts are the mail side of the harness: the real secret hasher and
// sealer, the use cases of the account lifecycle, and a fake renderer and
// mailer behind a DeliverMail that tests run by hand.
type mailPorts struct {
	hasher   onetime.Hasher
	sealer   *sealbox.Box
	signal   *countingSignal
	issuer   *application.MailIssuer
	renderer fakeRenderer
	mailer   *fakeMailer
	observer *recordingObserver
	rules    application.DeliveryRules

	sendVerification *application.SendVerification
	verifyEmail      *application.VerifyEmail
	forgot           *application.ForgotPassword
	reset            *application.ResetPassword
	requestChange    *application.RequestEmailChange
	confirmChange    *application.ConfirmEmailChange
	updateProfile    *application.UpdateProfile
	deliver          *application.DeliverMail
}

var testLinks = application.MailLinks{
	VerifyEmail:        "https://app.example.com/verify-email",
	ResetPassword:      "https://app.example.com/reset-password",
	ConfirmEmailChange: "https://app.example.com/confirm-email",
}

func newMailPorts(t *testing.T, h *harness, cfg settings) mailPorts {
	t.Helper()
	hasher, err := onetime.NewHasher(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := sealbox.New(bytes.Repeat([]byte{9}, sealbox.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	m := mailPorts{
		hasher: hasher, sealer: sealer, signal: &countingSignal{}, mailer: &fakeMailer{}, observer: &recordingObserver{},
		rules: application.DeliveryRules{MaxAttempts: 3, RetryBase: 30 * time.Second, RetryCap: time.Hour, SendTimeout: time.Second, Batch: 10, Concurrency: 2},
	}
	users, tx := h.store.Users(), h.store.Transactor()
	m.issuer = application.NewMailIssuer(hasher, sealer, h.ids, m.signal, testLinks, cfg.lifetimes, application.MailEnabled(!cfg.mailOff), h.emails)
	m.sendVerification = application.NewSendVerification(h.store.Outbox(), m.issuer, h.clock)
	m.verifyEmail = application.NewVerifyEmail(tx, hasher, h.clock, h.ids, h.emails)
	m.forgot = application.NewForgotPassword(h.store.Outbox(), m.issuer, h.clock)
	m.reset = application.NewResetPassword(tx, h.hasher, hasher, h.clock, h.ids, cfg.password, h.emails)
	m.requestChange = application.NewRequestEmailChange(users, tx, h.hasher, m.issuer, h.clock, h.ids, h.failures, cfg.lockout)
	m.confirmChange = application.NewConfirmEmailChange(tx, hasher, m.issuer, h.clock, h.ids)
	m.updateProfile = application.NewUpdateProfile(tx, h.clock, h.ids)
	m.deliver = application.NewDeliverMail(h.store.Outbox(), sealer, m.renderer, m.mailer, h.clock, m.observer,
		application.NewMailRequests(tx, m.issuer, h.clock, h.ids), m.rules)
	return m
}

// deliverAll runs the sender until the outbox has nothing due, and returns
// what the mailer got in this run.
func (h *harness) deliverAll(t *testing.T) []outbound.Mail {
	t.Helper()
	before := len(h.mail.mailer.sent())
	for {
		n, err := h.mail.deliver.Handle(context.Background(), struct{}{})
		if err != nil {
			t.Fatalf("deliver: %v", err)
		}
		if n == 0 {
			return h.mail.mailer.sent()[before:]
		}
	}
}

// lastMail delivers what is due and returns the one message sent to `to`.
func (h *harness) lastMail(t *testing.T, to string, purpose outbound.MailPurpose) outbound.Mail {
	t.Helper()
	var found []outbound.Mail
	for _, m := range h.deliverAll(t) {
		if m.To == to && m.Purpose == purpose {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s mails to %s, want 1", len(found), purpose, to)
	}
	return found[0]
}

// tokenOf reads the token from a mailed link's fragment.
func tokenOf(t *testing.T, m outbound.Mail) string {
	t.Helper()
	u, err := url.Parse(m.Content.Link)
	if err != nil || u.RawQuery != "" {
		t.Fatalf("link %q", m.Content.Link)
	}
	v, err := url.ParseQuery(u.Fragment)
	if err != nil || v.Get("token") == "" {
		t.Fatalf("link %q has no #token=", m.Content.Link)
	}
	return v.Get("token")
}

type countingSignal struct {
	mu sync.Mutex
	n  int
}

func (s *countingSignal) MailEnqueued() { s.mu.Lock(); s.n++; s.mu.Unlock() }

func (s *countingSignal) count() int { s.mu.Lock(); defer s.mu.Unlock(); return s.n }

// fakeRenderer renders the content as JSON, which is enough to check what
// reached the mailer.
type fakeRenderer struct{}

func (fakeRenderer) Render(p outbound.MailPurpose, to string, c outbound.MailContent) (outbound.RenderedMail, error) {
	body, err := json.Marshal(c)
	return outbound.RenderedMail{Subject: string(p), Text: string(body), HTML: "<p>" + string(body) + "</p>"}, err
}

// fakeMailer records what it sends; fail, when set, decides each send's
// error.
type fakeMailer struct {
	mu   sync.Mutex
	got  []outbound.Mail
	fail func(outbound.Mail) error
}

func (f *fakeMailer) Send(_ context.Context, m outbound.Mail) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		if err := f.fail(m); err != nil {
			return err
		}
	}
	f.got = append(f.got, m)
	return nil
}

func (f *fakeMailer) sent() []outbound.Mail {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]outbound.Mail(nil), f.got...)
}

type recordingObserver struct {
	mu                     sync.Mutex
	sent, deferred, failed []string
}

func (o *recordingObserver) MailSent(p outbound.MailPurpose, _ int, _ time.Duration) {
	o.mu.Lock()
	o.sent = append(o.sent, string(p))
	o.mu.Unlock()
}

func (o *recordingObserver) MailDeferred(p outbound.MailPurpose, _ int, err error) {
	o.mu.Lock()
	o.deferred = append(o.deferred, string(p)+": "+err.Error())
	o.mu.Unlock()
}

func (o *recordingObserver) MailFailed(p outbound.MailPurpose, _ int, err error) {
	o.mu.Lock()
	o.failed = append(o.failed, string(p)+": "+err.Error())
	o.mu.Unlock()
}

func wantInvalid(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, onetime.ErrInvalid) {
		t.Fatalf("%s: err = %v, want onetime.ErrInvalid", what, err)
	}
}

// wrongCode returns a code that differs from c in its first digit.
func wrongCode(c string) string {
	d := []byte(c)
	d[0] = '0' + (d[0]-'0'+1)%10
	return string(d)
}

// userByEmail reads an account straight from the store.
func (h *harness) userByEmail(t *testing.T, email string) *user.User {
	t.Helper()
	addr, err := user.ParseEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	u, err := h.store.Users().FindByEmail(context.Background(), addr)
	if err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return u
}

// changeUser changes an account behind the use cases' back.
func (h *harness) changeUser(t *testing.T, email string, fn func(*user.User)) {
	t.Helper()
	_, err := h.store.Users().Update(context.Background(), h.userByEmail(t, email).ID(), func(u *user.User) error {
		fn(u)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (h *harness) markVerified(t *testing.T, email string) {
	h.changeUser(t, email, func(u *user.User) { u.VerifyEmail(u.Email(), h.clock.Now()) })
}

func (h *harness) disable(t *testing.T, email string) {
	h.changeUser(t, email, func(u *user.User) { u.SetDisabled(true, h.clock.Now()) })
}
