// Package smtpmail delivers authd's mail over SMTP with
// github.com/wneessen/go-mail: STARTTLS (opportunistic or required),
// implicit TLS, or plain for a local relay, with authentication when the
// URL carries credentials, and a deadline on every exchange.
package smtpmail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/authd/authd/ports/outbound"
)

// Config is what the mailer needs.
type Config struct {
	// URL is mail.smtp_url.
	URL string
	// From is mail.from: an address, with or without a display name.
	From string
	// Timeout bounds connecting and each SMTP exchange.
	Timeout time.Duration
	// RootCAs, when set, are the only trusted roots (a test's own CA);
	// otherwise the system's.
	RootCAs *x509.CertPool
}

// Mailer sends one message per connection.
type Mailer struct {
	endpoint   Endpoint
	from       string
	fromDomain string
	timeout    time.Duration
	tls        *tls.Config
}

var _ outbound.Mailer = (*Mailer)(nil)

// New checks the configuration; it does not connect, so a mail server that
// is down delays mail but never startup.
func New(cfg Config) (*Mailer, error) {
	e, err := ParseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, errors.New("smtpmail: the sender address is not an address")
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	if cfg.Timeout <= 0 {
		return nil, errors.New("smtpmail: the timeout must be positive")
	}
	return &Mailer{
		endpoint: e, from: cfg.From, fromDomain: domain, timeout: cfg.Timeout,
		tls: &tls.Config{ServerName: e.Host, MinVersion: tls.VersionTLS12, RootCAs: cfg.RootCAs},
	}, nil
}

// options configure one client as the endpoint says. Every read and write
// of the session gets timeout.
func (m *Mailer) options(timeout time.Duration) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(m.endpoint.Port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(m.tls),
	}
	switch m.endpoint.Security {
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case STARTTLSRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case Plain:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if m.endpoint.Username != "" {
		// The strongest mechanism the server offers; go-mail refuses to send
		// PLAIN or LOGIN credentials over an unencrypted connection.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.endpoint.Username), gomail.WithPassword(m.endpoint.Password))
	}
	return opts
}

// Send delivers one multipart/alternative message (text and HTML) within
// ctx's deadline. A permanent refusal of the recipient or the content
// (a 5xx reply) wraps outbound.ErrMailRejected; anything else (the server
// unreachable, a 4xx reply, a timeout) is worth another attempt.
func (m *Mailer) Send(ctx context.Context, msg outbound.Mail) error {
	g := gomail.NewMsg()
	if err := g.From(m.from); err != nil {
		return fmt.Errorf("smtpmail: sender: %w", err)
	}
	if err := g.To(msg.To); err != nil {
		return fmt.Errorf("smtpmail: recipient: %w: %w", err, outbound.ErrMailRejected)
	}
	g.Subject(msg.Rendered.Subject)
	g.SetMessageIDWithValue(msg.MessageID + "@" + m.fromDomain)
	g.SetDate()
	g.SetGenHeader("Auto-Submitted", "auto-generated")
	g.SetBodyString(gomail.TypeTextPlain, msg.Rendered.Text)
	g.AddAlternativeString(gomail.TypeTextHTML, msg.Rendered.HTML)

	// go-mail applies ctx to dialling only; the rest of the session has
	// the client's timeout, so that is cut to what is left of ctx.
	timeout := m.timeout
	if deadline, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(deadline))
	}
	if timeout <= 0 {
		return fmt.Errorf("smtpmail: %w", context.DeadlineExceeded)
	}
	client, err := gomail.NewClient(m.endpoint.Host, m.options(timeout)...)
	if err != nil {
		return fmt.Errorf("smtpmail: client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, g); err != nil {
		return classify(err)
	}
	return nil
}

// classify marks permanent refusals of a message. go-mail's errors carry
// the server's reply (never the credentials or the message content).
func classify(err error) error {
	if se, ok := errors.AsType[*gomail.SendError](err); ok && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		switch se.Reason {
		case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
			return fmt.Errorf("smtpmail: %w: %w", err, outbound.ErrMailRejected)
		}
	}
	return fmt.Errorf("smtpmail: %w", err)
}
