// Package smtptest runs a real SMTP server in the test process, built on
// github.com/emersion/go-smtp: it speaks SMTP over TCP on 127.0.0.1,
// offers STARTTLS or implicit TLS with a certificate from a throwaway CA,
// can require AUTH PLAIN, records every message it accepts, and can be
// stopped and started again on the same port to play an outage. Nothing
// is mocked: authd's SMTP adapter talks to it as to any mail server.
package smtptest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options choose what the server offers.
type Options struct {
	// STARTTLS offers STARTTLS with the test certificate.
	STARTTLS bool
	// ImplicitTLS speaks TLS from the first byte (smtps).
	ImplicitTLS bool
	// Username and Password, when set, require AUTH PLAIN with them.
	Username, Password string
	// Reject, when set, may refuse a recipient with an SMTP error.
	Reject func(rcpt string) error
}

// Server is one running SMTP server.
type Server struct {
	// Addr is 127.0.0.1:port; it stays the same across Restart.
	Addr string
	opts Options
	ca   testCA

	mu       sync.Mutex
	messages []Message
	changed  chan struct{}
	srv      *smtp.Server
	ln       net.Listener
}

// Start starts a server on a free port and stops it when t ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	ca, err := newTestCA()
	if err != nil {
		t.Fatalf("smtptest: %v", err)
	}
	s := &Server{opts: opts, ca: ca, changed: make(chan struct{})}
	if err := s.listen("127.0.0.1:0"); err != nil {
		t.Fatalf("smtptest: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{s.ca.cert}, MinVersion: tls.VersionTLS12}
	if s.opts.ImplicitTLS {
		ln = tls.NewListener(ln, tlsConfig)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, isTLS := c.TLSConnectionState()
		return &session{server: s, tls: isTLS}, nil
	}))
	srv.Domain = "smtptest.localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.ErrorLog = quiet{}
	if s.opts.STARTTLS {
		srv.TLSConfig = tlsConfig
	}
	// AUTH PLAIN without TLS is allowed only when no TLS is offered at all.
	srv.AllowInsecureAuth = !s.opts.STARTTLS && !s.opts.ImplicitTLS
	s.mu.Lock()
	s.srv, s.ln, s.Addr = srv, ln, ln.Addr().String()
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
	return nil
}

// Stop closes the listener and every connection; a client then gets
// "connection refused".
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// The listener is closed here too: Serve registers it with the
		// server only once its goroutine runs, which may be after Close.
		_ = ln.Close()
		_ = srv.Close()
	}
}

// Restart listens again on the same address.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	var err error
	for range 50 { // the old socket may linger a moment
		if err = s.listen(s.Addr); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("smtptest: restart: %v", err)
}

// RootCAs trust the server's certificate.
func (s *Server) RootCAs() *x509.CertPool { return s.ca.pool }

// URL is the mail.smtp_url of the server: smtps:// for implicit TLS,
// otherwise smtp:// with the query given ("starttls=off", say), and the
// credentials when the server requires them.
func (s *Server) URL(query string) string {
	u := url.URL{Scheme: "smtp", Host: s.Addr, RawQuery: query}
	if s.opts.ImplicitTLS {
		u.Scheme = "smtps"
	}
	if s.opts.Username != "" {
		u.User = url.UserPassword(s.opts.Username, s.opts.Password)
	}
	return u.String()
}

// Messages returns what the server has accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitFor waits until at least n messages have arrived and returns all of
// them, failing the test after timeout.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		got, changed := len(s.messages), s.changed
		s.mu.Unlock()
		if got >= n {
			return s.Messages()
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("smtptest: %d messages after %s, want %d", got, timeout, n)
		}
	}
}

func (s *Server) accept(m Message) {
	m.At = time.Now()
	m.parse()
	s.mu.Lock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// session is one SMTP session.
type session struct {
	server *Server
	tls    bool
	user   string
	msg    Message
}

var _ smtp.AuthSession = (*session)(nil)

func (s *session) AuthMechanisms() []string {
	if s.server.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.server.opts.Username || password != s.server.opts.Password {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.server.opts.Username != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.msg = Message{From: from, TLS: s.tls, AuthUser: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.server.opts.Reject != nil {
		if err := s.server.opts.Reject(to); err != nil {
			return err
		}
	}
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(s.msg.To) == 0 {
		return errors.New("no recipient")
	}
	s.msg.Raw = raw
	s.server.accept(s.msg)
	return nil
}

func (s *session) Reset()        { s.msg = Message{TLS: s.tls, AuthUser: s.user} }
func (s *session) Logout() error { return nil }

// quiet drops the server's own log lines (closed connections and the like).
type quiet struct{}

func (quiet) Printf(string, ...interface{}) {}
func (quiet) Println(...interface{})        {}
