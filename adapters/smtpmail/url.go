package smtpmail

import (
	"errors"
	"net/url"
	"strconv"
)

// Security is how a connection is protected.
type Security int

// The forms of mail.smtp_url.
const (
	// STARTTLSOpportunistic: smtp://, upgraded with STARTTLS when the
	// server offers it.
	STARTTLSOpportunistic Security = iota
	// STARTTLSRequired: smtp://...?starttls=required, refused unless the
	// server offers STARTTLS.
	STARTTLSRequired
	// Plain: smtp://...?starttls=off, for a relay on the same host.
	Plain
	// ImplicitTLS: smtps://, TLS from the first byte.
	ImplicitTLS
)

// Endpoint is a parsed mail.smtp_url.
type Endpoint struct {
	Host     string
	Port     int
	Security Security
	// Username and Password are empty when the URL has no user info: no
	// authentication.
	Username string
	Password string
}

// Default ports: submission for smtp://, submissions for smtps://.
const (
	defaultSMTPPort  = 587
	defaultSMTPSPort = 465
)

// ParseURL reads smtp://[user[:pass]@]host[:port][?starttls=required|off]
// and smtps://[user[:pass]@]host[:port]. Its errors never quote the URL,
// which may hold a password.
func ParseURL(raw string) (Endpoint, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Endpoint{}, errors.New("smtpmail: the SMTP URL is malformed")
	}
	var e Endpoint
	switch u.Scheme {
	case "smtp":
		e.Port = defaultSMTPPort
	case "smtps":
		e.Port, e.Security = defaultSMTPSPort, ImplicitTLS
	default:
		return Endpoint{}, errors.New("smtpmail: the SMTP URL must start with smtp:// or smtps://")
	}
	if u.Opaque != "" || (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return Endpoint{}, errors.New("smtpmail: the SMTP URL takes no path or fragment")
	}
	e.Host = u.Hostname()
	if e.Host == "" {
		return Endpoint{}, errors.New("smtpmail: the SMTP URL needs a host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Endpoint{}, errors.New("smtpmail: the SMTP URL's port must be 1 to 65535")
		}
		e.Port = n
	}
	q := u.Query()
	for key, values := range q {
		if key != "starttls" || len(values) != 1 {
			return Endpoint{}, errors.New("smtpmail: the SMTP URL takes one query parameter, starttls")
		}
	}
	switch st := q.Get("starttls"); {
	case st == "":
	case e.Security == ImplicitTLS:
		return Endpoint{}, errors.New("smtpmail: smtps:// is TLS already and takes no starttls parameter")
	case st == "required":
		e.Security = STARTTLSRequired
	case st == "off":
		e.Security = Plain
	default:
		return Endpoint{}, errors.New("smtpmail: starttls must be required or off")
	}
	if u.User != nil {
		e.Username = u.User.Username()
		e.Password, _ = u.User.Password()
	}
	return e, nil
}
