package config

import (
	"errors"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// defaultAppURL is app.url outside production when it is left empty.
const defaultAppURL = "http://localhost:3000"

// appURLPlaceholder in a links.* value stands for the resolved app.url.
const appURLPlaceholder = "{app.url}"

// App describes the front end that mailed links open.
type App struct {
	// URL is the front end's origin (a path is allowed); empty means
	// defaultAppURL outside production. Use Config.AppURL.
	URL string
}

// Links are the pages mailed links open, each a URL that may start with
// {app.url}. Use Config.ResolvedLinks.
type Links struct {
	VerifyEmail        string
	ResetPassword      string
	ConfirmEmailChange string
}

// Mail configures sending mail.
type Mail struct {
	// SMTPURL is smtp://... or smtps://...; it may hold a password: log it
	// only through Config.Masked.
	SMTPURL      string
	From         string
	MaxAttempts  int
	Timeout      time.Duration
	TemplatesDir string
}

// MailTransport says how mail leaves authd.
type MailTransport string

// The mail transports.
const (
	MailSMTP MailTransport = "smtp"
	// MailLog writes each message to the log (development and test only).
	MailLog MailTransport = "log"
	// MailOff: production without mail.smtp_url.
	MailOff MailTransport = "off"
)

// MailTransport is SMTP when mail.smtp_url is set, the log mailer outside
// production, and off in production.
func (c *Config) MailTransport() MailTransport {
	switch {
	case c.Mail.SMTPURL != "":
		return MailSMTP
	case c.IsProduction():
		return MailOff
	}
	return MailLog
}

// MailFrom is mail.from, or for the log mailer a placeholder sender.
func (c *Config) MailFrom() string {
	if c.Mail.From == "" {
		return "authd <no-reply@localhost>"
	}
	return c.Mail.From
}

// AppURL is app.url with its default applied, without a trailing slash.
func (c *Config) AppURL() string {
	if c.App.URL == "" && !c.IsProduction() {
		return defaultAppURL
	}
	return strings.TrimSuffix(c.App.URL, "/")
}

// ResolvedLinks are the links.* values with {app.url} expanded.
func (c *Config) ResolvedLinks() Links {
	expand := func(s string) string { return strings.ReplaceAll(s, appURLPlaceholder, c.AppURL()) }
	return Links{
		VerifyEmail:        expand(c.Links.VerifyEmail),
		ResetPassword:      expand(c.Links.ResetPassword),
		ConfirmEmailChange: expand(c.Links.ConfirmEmailChange),
	}
}

// appURL binds an optional http(s) URL with no query or fragment.
func appURL(p *string) binder {
	return field(p, scalarOf(asString[string]), func(v string) error {
		if v == "" {
			return nil
		}
		return checkWebURL(v)
	}, showString[string])
}

// link binds a page URL that may start with {app.url}; the whole is
// checked once app.url is known (validateMail).
func link(p *string) binder {
	return field(p, scalarOf(asString[string]), func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("must not be empty")
		}
		return nil
	}, showString[string])
}

func checkWebURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return errors.New("must be an absolute http:// or https:// URL")
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(v, "?#") {
		return errors.New("must have no query or fragment: the token is appended as a #token= fragment")
	}
	return nil
}

// smtpURL binds an optional smtp:// or smtps:// URL. The adapter parses it
// fully; this refuses at startup what it would refuse, never quoting the
// URL (it may hold a password).
func smtpURL(p *string) binder {
	return field(p, scalarOf(asString[string]), func(v string) error {
		if v == "" {
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return errors.New("must be empty or an smtp:// or smtps:// URL with a host")
		}
		q := u.Query()
		for key := range q {
			if key != "starttls" {
				return errors.New("takes one query parameter, starttls")
			}
		}
		switch st := q.Get("starttls"); {
		case st != "" && u.Scheme == "smtps":
			return errors.New("smtps:// is TLS already and takes no starttls parameter")
		case st != "" && st != "required" && st != "off":
			return errors.New("starttls must be required or off")
		}
		return nil
	}, showString[string])
}

// validateMail: a sender with SMTP, a front end for the links in
// production, and verification required only where mail can be sent.
func (c *Config) validateMail() error {
	if c.Mail.From != "" {
		if _, err := mail.ParseAddress(c.Mail.From); err != nil {
			return invalidf("mail.from", "must be an email address, optionally with a name: Name <addr@example.com>")
		}
	}
	transport := c.MailTransport()
	switch {
	case transport == MailSMTP && c.Mail.From == "":
		return invalidf("mail.from", "is required when mail.smtp_url is set")
	case transport == MailOff && c.Auth.EmailVerification == VerificationRequired:
		return invalidf("auth.email_verification", "required needs mail: set mail.smtp_url")
	case transport == MailSMTP && c.AppURL() == "":
		return invalidf("app.url", "is required in production when mail is on: the mailed links open it")
	}
	if transport == MailOff {
		return nil // no link is ever mailed
	}
	links := c.ResolvedLinks()
	for key, v := range map[string]string{
		"links.verify_email": links.VerifyEmail, "links.reset_password": links.ResetPassword,
		"links.confirm_email_change": links.ConfirmEmailChange,
	} {
		if err := checkWebURL(v); err != nil {
			return invalid(key, err)
		}
	}
	return nil
}
