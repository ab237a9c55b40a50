package application_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// outboxStats reads the outbox's counts.
func (h *harness) outboxStats(t *testing.T) outbound.OutboxStats {
	t.Helper()
	s, err := h.store.Outbox().Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTheOutboxHoldsNoSecretInTheClear(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.forgot(t, "ada@example.com")
	// The first attempt fails, so the mail stays in the outbox; what the
	// mailer was handed shows the secret it carries.
	var tried []outbound.Mail
	h.mail.mailer.fail = func(m outbound.Mail) error { tried = append(tried, m); return errors.New("421 busy") }
	h.deliverAll(t)
	if len(tried) != 1 {
		t.Fatalf("%d attempts", len(tried))
	}
	claimed, err := h.store.Outbox().Claim(context.Background(), outbound.OutboxClaim{
		Now: h.clock.Now().Add(time.Hour), LeaseUntil: h.clock.Now().Add(2 * time.Hour), MaxAttempts: 3, Limit: 10,
	})
	if err != nil || len(claimed) != 1 || claimed[0].Purpose != outbound.MailResetPassword {
		t.Fatalf("claim: %+v, %v", claimed, err)
	}
	token := tokenOf(t, tried[0])
	if bytes.Contains(claimed[0].Payload, []byte(token)) || bytes.Contains(claimed[0].Payload, []byte(tried[0].Content.Code)) {
		t.Fatal("the stored payload shows the token or the code")
	}
}

// TestARequestForMailDoesTheSameWorkForEveryAddress: asking for a reset or
// a verification stores one request in the outbox and nothing else, for an
// account and for an unknown address alike; the account is only looked at
// when the sender fulfils the request.
func TestARequestForMailDoesTheSameWorkForEveryAddress(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	before := len(h.events(t))
	for i, email := range []string{"ada@example.com", "nobody@example.com"} {
		h.forgot(t, email)
		h.sendVerification(t, email)
		if s := h.outboxStats(t); s.Pending != 2*(i+1) {
			t.Fatalf("after the requests for %s: %+v", email, s)
		}
	}
	if len(h.events(t)) != before {
		t.Fatal("a request wrote to the audit trail before it was fulfilled")
	}
	got := h.deliverAll(t)
	if len(got) != 2 || got[0].To != "ada@example.com" || got[1].To != "ada@example.com" {
		t.Fatalf("mails %+v, want a reset and a verification to ada", got)
	}
	if len(h.events(t)) != before+4 {
		t.Fatalf("%d events after fulfilment, want one per request", len(h.events(t))-before)
	}
	if s := h.outboxStats(t); s.Pending != 0 || s.Failed != 0 {
		t.Fatalf("outbox after fulfilment: %+v", s)
	}
}

func TestDeliveryRetriesWithBackoffThenSends(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	down := errors.New("dial tcp 127.0.0.1:2525: connection refused")
	h.mail.mailer.fail = func(outbound.Mail) error { return down }
	h.forgot(t, "ada@example.com")

	if got := h.deliverAll(t); len(got) != 0 {
		t.Fatal("sent while the server was down")
	}
	// The first failure waits RetryBase (30 s), the second twice that.
	h.clock.Advance(29 * time.Second)
	if got := h.deliverAll(t); len(got) != 0 || len(h.mail.observer.deferred) != 1 {
		t.Fatalf("retried before the backoff: deferred %v", h.mail.observer.deferred)
	}
	h.clock.Advance(time.Second)
	h.deliverAll(t)
	if len(h.mail.observer.deferred) != 2 {
		t.Fatalf("deferred %v, want the second attempt", h.mail.observer.deferred)
	}
	h.mail.mailer.fail = nil
	h.clock.Advance(59 * time.Second)
	if got := h.deliverAll(t); len(got) != 0 {
		t.Fatal("the third attempt came before 60 s")
	}
	h.clock.Advance(time.Second)
	got := h.deliverAll(t)
	if len(got) != 1 || got[0].Purpose != outbound.MailResetPassword || len(h.mail.observer.sent) != 1 {
		t.Fatalf("after the server came back: %d sent, observer %v", len(got), h.mail.observer.sent)
	}
	if s := h.outboxStats(t); s.Pending != 0 || s.Failed != 0 {
		t.Fatalf("outbox after delivery: %+v", s)
	}
	// The id rides along as the Message-ID, the same on every attempt.
	if got[0].MessageID == "" {
		t.Fatal("no message id")
	}
}

func TestDeliveryGivesUpAfterMaxAttemptsOrAPermanentRefusal(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.mustSignup(t, "bob@example.com")
	h.mail.mailer.fail = func(m outbound.Mail) error {
		if m.To == "bob@example.com" {
			return fmt.Errorf("550 no such mailbox: %w", outbound.ErrMailRejected)
		}
		return errors.New("421 try again later")
	}
	h.forgot(t, "ada@example.com")
	h.forgot(t, "bob@example.com")
	h.deliverAll(t)
	if len(h.mail.observer.failed) != 1 || h.outboxStats(t).Failed != 1 {
		t.Fatalf("a permanent refusal was not given up at once: %v", h.mail.observer.failed)
	}
	for range 3 {
		h.clock.Advance(time.Hour)
		h.deliverAll(t)
	}
	if s := h.outboxStats(t); s.Failed != 2 || s.Pending != 0 {
		t.Fatalf("after MaxAttempts (3): %+v", s)
	}
	if len(h.mail.observer.deferred) != 2 || len(h.mail.observer.failed) != 2 {
		t.Fatalf("deferred %v failed %v, want 2 and 2", h.mail.observer.deferred, h.mail.observer.failed)
	}
}

func TestAShutdownHandsTheMessageBackAtOnce(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.forgot(t, "ada@example.com")
	ctx, cancel := context.WithCancel(context.Background())
	h.mail.mailer.fail = func(outbound.Mail) error { cancel(); return context.Canceled }
	if _, err := h.mail.deliver.Handle(ctx, struct{}{}); err != nil {
		t.Fatal(err)
	}
	h.mail.mailer.fail = nil
	if got := h.deliverAll(t); len(got) != 1 {
		t.Fatalf("after an interrupted attempt: %d sent, want the message at once (not after its lease)", len(got))
	}
	if len(h.mail.observer.deferred)+len(h.mail.observer.failed) != 0 {
		t.Fatal("an interrupted attempt was reported as a failure")
	}
}

// TestARequestIsFulfilledAndMailedInOneRound: the sender that fulfils a
// request sends the mail it queued at once, without waiting for a claim.
func TestARequestIsFulfilledAndMailedInOneRound(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.forgot(t, "ada@example.com")
	if n, err := h.mail.deliver.Handle(context.Background(), struct{}{}); err != nil || n != 1 {
		t.Fatalf("round: %d claimed, %v", n, err)
	}
	if got := h.mail.mailer.sent(); len(got) != 1 || got[0].Purpose != outbound.MailResetPassword {
		t.Fatalf("after one round: %+v", got)
	}
	if s := h.outboxStats(t); s.Pending != 0 {
		t.Fatalf("outbox after one round: %+v", s)
	}
}
