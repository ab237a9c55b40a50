package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// recordingObserver is the next observer in the chain: the log.
type recordingObserver struct{ calls []string }

func (r *recordingObserver) MailSent(p outbound.MailPurpose, _ int, _ time.Duration) {
	r.calls = append(r.calls, "sent "+string(p))
}

func (r *recordingObserver) MailDeferred(p outbound.MailPurpose, _ int, _ error) {
	r.calls = append(r.calls, "deferred "+string(p))
}

func (r *recordingObserver) MailFailed(p outbound.MailPurpose, _ int, _ error) {
	r.calls = append(r.calls, "failed "+string(p))
}

func TestMailOutcomesAreCountedByPurposeAndPassedOn(t *testing.T) {
	m := New()
	next := &recordingObserver{}
	o := MailObserver{Next: next, Metrics: m}
	boom := errors.New("451 try later")
	o.MailDeferred(outbound.MailResetPassword, 1, boom)
	o.MailSent(outbound.MailResetPassword, 2, 3*time.Second)
	o.MailFailed(outbound.MailVerifyEmail, 8, boom)
	o.MailSent(outbound.MailRequestResetPassword, 1, time.Millisecond) // the sender's own request: not mail

	count := func(p outbound.MailPurpose, outcome string) float64 {
		return testutil.ToFloat64(m.mail.messages.WithLabelValues(string(p), outcome))
	}
	if count(outbound.MailResetPassword, mailDeferred) != 1 || count(outbound.MailResetPassword, mailDelivered) != 1 ||
		count(outbound.MailVerifyEmail, mailFailed) != 1 {
		t.Fatal("an outcome was not counted under its purpose")
	}
	if count(outbound.MailRequestResetPassword, mailDelivered) != 0 {
		t.Fatal("a request for mail was counted as mail")
	}
	if n := testutil.CollectAndCount(m.mail.delay); n != 1 {
		t.Fatalf("%d delay series, want the one delivered purpose", n)
	}
	if len(next.calls) != 4 {
		t.Fatalf("the log saw %v: every outcome must be passed on", next.calls)
	}
}

func TestOutboxGaugesAreReadWhenScraped(t *testing.T) {
	m := New()
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	stats := outbound.OutboxStats{Pending: 3, Failed: 1, OldestPending: now.Add(-90 * time.Second)}
	reads := 0
	err := m.WatchOutbox(func(context.Context) (outbound.OutboxStats, error) {
		reads++
		return stats, nil
	}, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	want := `
# HELP authd_mail_outbox_failed Messages given up after their last attempt, kept in the outbox.
# TYPE authd_mail_outbox_failed gauge
authd_mail_outbox_failed 1
# HELP authd_mail_outbox_oldest_pending_age_seconds How long the oldest pending message has waited; 0 when none waits.
# TYPE authd_mail_outbox_oldest_pending_age_seconds gauge
authd_mail_outbox_oldest_pending_age_seconds 90
# HELP authd_mail_outbox_pending Messages (and requests for mail) waiting in the outbox.
# TYPE authd_mail_outbox_pending gauge
authd_mail_outbox_pending 3
`
	if err := testutil.GatherAndCompare(m.registry, strings.NewReader(want),
		"authd_mail_outbox_pending", "authd_mail_outbox_failed", "authd_mail_outbox_oldest_pending_age_seconds"); err != nil {
		t.Fatal(err)
	}
	if reads != 1 {
		t.Fatalf("one scrape read the outbox %d times, want once", reads)
	}

	// An outbox that cannot be read exports nothing rather than stale numbers.
	failing := New()
	_ = failing.WatchOutbox(func(context.Context) (outbound.OutboxStats, error) {
		return outbound.OutboxStats{}, outbound.ErrUnavailable
	}, func() time.Time { return now })
	if n, err := testutil.GatherAndCount(failing.registry, "authd_mail_outbox_pending"); err != nil || n != 0 {
		t.Fatalf("a failed read exported %d series (%v)", n, err)
	}
}

func TestSignInCallbacksAreCountedByProviderAndOutcome(t *testing.T) {
	m := New()
	m.SignInCompleted(inbound.CompleteSignInCommand{Provider: "google"}, inbound.SignInResult{Provider: "google", Outcome: "login"}, nil)
	m.SignInCompleted(inbound.CompleteSignInCommand{Provider: "google"}, inbound.SignInResult{Provider: "google", Outcome: "account_exists"}, nil)
	// No usable state: the provider in the URL is untrusted, so no series.
	m.SignInCompleted(inbound.CompleteSignInCommand{Provider: "anything-an-attacker-types"}, inbound.SignInResult{}, inbound.ErrStateInvalid)
	if got := testutil.ToFloat64(m.oidc.signIns.WithLabelValues("google", "login")); got != 1 {
		t.Fatalf("login counted %v", got)
	}
	if n := testutil.CollectAndCount(m.oidc.signIns); n != 2 {
		t.Fatalf("%d series, want 2: a callback without a state must not create one", n)
	}
}
