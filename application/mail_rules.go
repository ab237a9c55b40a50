package application

import "time"

// EmailVerification is the auth.email_verification mode.
type EmailVerification string

// The modes of email verification.
const (
	// VerificationOff: signup mails nothing and login never asks.
	VerificationOff EmailVerification = "off"
	// VerificationOptional: signup mails a verification and signs in.
	VerificationOptional EmailVerification = "optional"
	// VerificationRequired: signup mails a verification and opens no
	// session; login refuses an unverified address.
	VerificationRequired EmailVerification = "required"
)

// MailLinks are the front end's pages a mailed link opens; the token rides
// in the link's fragment (#token=...), so a link scanner fetching the page
// spends nothing.
type MailLinks struct {
	VerifyEmail        string
	ResetPassword      string
	ConfirmEmailChange string
}

// SecretLifetimes are how long each kind of one-time secret works.
type SecretLifetimes struct {
	Verification time.Duration
	Reset        time.Duration
	EmailChange  time.Duration
}

// MailEnabled is false when no mail transport is configured: every use case
// that must mail then fails with outbound.ErrMailDisabled.
type MailEnabled bool

// DeliveryRules govern the background sender.
type DeliveryRules struct {
	// MaxAttempts bounds the attempts of one message; the last failure
	// keeps it as failed.
	MaxAttempts int
	// RetryBase is the wait after the first failure; each further failure
	// doubles it, up to RetryCap.
	RetryBase time.Duration
	RetryCap  time.Duration
	// SendTimeout bounds one delivery attempt.
	SendTimeout time.Duration
	// Batch is how many messages one round claims; Concurrency how many it
	// sends at once.
	Batch       int
	Concurrency int
}

// lease is how long a claimed message stays hidden from other senders: far
// longer than an attempt may take, so that only a sender that died leaves a
// message to be claimed again.
func (r DeliveryRules) lease() time.Duration { return max(10*r.SendTimeout, 5*time.Minute) }

// backoff is the wait after the given failed attempt (1-based).
func (r DeliveryRules) backoff(attempt int) time.Duration {
	d := r.RetryBase
	for i := 1; i < attempt && d < r.RetryCap; i++ {
		d *= 2
	}
	return min(d, r.RetryCap)
}
