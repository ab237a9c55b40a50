package wiring

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/x509"
	"sync"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/adapters/logmailer"
	"github.com/authd/authd/adapters/mailtemplate"
	"github.com/authd/authd/adapters/sealbox"
	"github.com/authd/authd/adapters/smtpmail"
	"github.com/authd/authd/application"
	"github.com/authd/authd/config"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Mail provides what the use cases of the account lifecycle need to mail:
// the keys of one-time secrets and of the outbox, the templates, the
// mailer mail.smtp_url selects, and the rules from the configuration.
var Mail = fx.Module("mail",
	fx.Provide(
		mailKeys,
		fx.Annotate(func(cfg *config.Config) (*mailtemplate.Renderer, error) {
			return mailtemplate.New(cfg.Mail.TemplatesDir)
		}, fx.As(new(outbound.MailRenderer))),
		newMailer,
		newMailSignal,
		func(s *mailSignal) outbound.MailSignal { return s },
		fx.Annotate(newMailLog, fx.As(new(outbound.MailObserver))),
		application.NewMailIssuer,
		emailVerification, mailLinks, secretLifetimes, mailEnabled, deliveryRules,
	),
)

// MailSender delivers the outbox in the background while the server runs
// (not in the operator commands), unless mail is off.
var MailSender = fx.Module("mail-sender", fx.Invoke(runMailSender))

// mailPollInterval is how often the sender looks for due messages it was
// not woken for: retries, and mail another instance queued.
const mailPollInterval = time.Second

// MailTLS, when supplied to the graph, replaces the system's trusted roots
// for SMTP (tests that run their own CA).
type MailTLS struct{ RootCAs *x509.CertPool }

// mailKeys derives the key of the one-time secret digests and the key that
// seals the outbox from the refresh-token key (HKDF-SHA-256, one label
// each), so no new secret has to be provisioned and every instance sharing
// refresh.key agrees on both.
func mailKeys(root refreshKey) (onetime.Hasher, outbound.Sealer, error) {
	digestKey, err := hkdf.Key(sha256.New, root, nil, "authd one-time secret digests v1", 32)
	if err != nil {
		return onetime.Hasher{}, nil, err
	}
	sealKey, err := hkdf.Key(sha256.New, root, nil, "authd mail outbox seal v1", sealbox.KeySize)
	if err != nil {
		return onetime.Hasher{}, nil, err
	}
	h, err := onetime.NewHasher(digestKey)
	if err != nil {
		return onetime.Hasher{}, nil, err
	}
	box, err := sealbox.New(sealKey)
	if err != nil {
		return onetime.Hasher{}, nil, err
	}
	return h, box, nil
}

type mailerIn struct {
	fx.In
	Config *config.Config
	Log    *zap.Logger
	TLS    *MailTLS `optional:"true"`
}

// newMailer is SMTP when mail.smtp_url is set, the log mailer in
// development and test without it, and nothing in production without it.
func newMailer(in mailerIn) (outbound.Mailer, error) {
	cfg := in.Config
	switch cfg.MailTransport() {
	case config.MailSMTP:
		c := smtpmail.Config{URL: cfg.Mail.SMTPURL, From: cfg.Mail.From, Timeout: cfg.Mail.Timeout}
		if in.TLS != nil {
			c.RootCAs = in.TLS.RootCAs
		}
		return smtpmail.New(c)
	case config.MailLog:
		in.Log.Info("mail goes to this log (log mailer): set mail.smtp_url to send it")
		return logmailer.New(in.Log), nil
	}
	return offMailer{}, nil
}

// offMailer stands for mail that is off: nothing is queued then, so it is
// never called.
type offMailer struct{}

func (offMailer) Send(context.Context, outbound.Mail) error { return outbound.ErrMailDisabled }

// mailSignal wakes the sender when a unit of work has queued mail.
type mailSignal struct{ ch chan struct{} }

func newMailSignal() *mailSignal { return &mailSignal{ch: make(chan struct{}, 1)} }

// MailEnqueued never blocks: one pending wake-up is enough.
func (s *mailSignal) MailEnqueued() {
	select {
	case s.ch <- struct{}{}:
	default:
	}
}

// mailLog reports delivery outcomes: a message sent (debug), one given up
// (an error line per message, without its content), and failed attempts,
// which an outage produces for every message, at most once a minute.
type mailLog struct {
	log *zap.Logger

	mu         sync.Mutex
	lastWarn   time.Time
	suppressed int
}

func newMailLog(log *zap.Logger) *mailLog { return &mailLog{log: log} }

func (l *mailLog) MailSent(p outbound.MailPurpose, attempt int, age time.Duration) {
	l.log.Debug("mail sent", zap.String("purpose", string(p)), zap.Int("attempt", attempt), zap.Duration("age", age))
}

func (l *mailLog) MailDeferred(p outbound.MailPurpose, attempt int, err error) {
	l.mu.Lock()
	if time.Since(l.lastWarn) < time.Minute {
		l.suppressed++
		l.mu.Unlock()
		return
	}
	suppressed := l.suppressed
	l.lastWarn, l.suppressed = time.Now(), 0
	l.mu.Unlock()
	l.log.Warn("mail delivery failed; will retry", zap.String("purpose", string(p)), zap.Int("attempt", attempt),
		zap.Int("similar_failures_not_logged", suppressed), zap.Error(err))
}

func (l *mailLog) MailFailed(p outbound.MailPurpose, attempts int, err error) {
	l.log.Error("mail given up; kept as failed in the outbox", zap.String("purpose", string(p)),
		zap.Int("attempts", attempts), zap.Error(err))
}

// runMailSender runs DeliverMail until the server stops: at once when a
// unit of work queued mail, again while a round found work, and every
// mailPollInterval otherwise. Stopping waits for the round in flight.
func runMailSender(lc fx.Lifecycle, cfg *config.Config, deliver inbound.DeliverMail, signal *mailSignal, log *zap.Logger) {
	if cfg.MailTransport() == config.MailOff {
		return
	}
	runWhileStarted(lc, "mail sender", func(ctx context.Context) {
		ticker := time.NewTicker(mailPollInterval)
		defer ticker.Stop()
		var lastErr time.Time
		for {
			n, err := deliver.Handle(ctx, inbound.DeliverMailCommand{})
			if err != nil && ctx.Err() == nil && time.Since(lastErr) >= time.Minute {
				lastErr = time.Now()
				log.Warn("mail sender cannot read the outbox; retrying", zap.Error(err))
			}
			if n > 0 && ctx.Err() == nil {
				continue
			}
			select {
			case <-ctx.Done():
				return
			case <-signal.ch:
			case <-ticker.C:
			}
		}
	})
}

func emailVerification(cfg *config.Config) application.EmailVerification {
	return application.EmailVerification(cfg.Auth.EmailVerification)
}

func mailLinks(cfg *config.Config) application.MailLinks {
	l := cfg.ResolvedLinks()
	return application.MailLinks{VerifyEmail: l.VerifyEmail, ResetPassword: l.ResetPassword, ConfirmEmailChange: l.ConfirmEmailChange}
}

func secretLifetimes(cfg *config.Config) application.SecretLifetimes {
	return application.SecretLifetimes{
		Verification: cfg.Auth.VerificationTTL, Reset: cfg.Auth.ResetTTL, EmailChange: cfg.Auth.EmailChangeTTL,
	}
}

func mailEnabled(cfg *config.Config) application.MailEnabled {
	return application.MailEnabled(cfg.MailTransport() != config.MailOff)
}

// Delivery constants: the first retry after 30 s, doubling up to an hour
// (8 attempts span about an hour); rounds of 20 messages, 8 handled at once.
func deliveryRules(cfg *config.Config) application.DeliveryRules {
	return application.DeliveryRules{
		MaxAttempts: cfg.Mail.MaxAttempts, RetryBase: 30 * time.Second, RetryCap: time.Hour,
		SendTimeout: cfg.Mail.Timeout, Batch: 20, Concurrency: 8,
	}
}
