package smtpmail_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/authd/authd/adapters/smtpmail"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/smtptest"
)

var message = outbound.Mail{
	MessageID: "00000000-0000-7000-8000-000000000001",
	To:        "ada@example.com",
	Purpose:   outbound.MailResetPassword,
	Rendered: outbound.RenderedMail{
		Subject: "Reset your password",
		Text:    "Open https://app.example.com/reset-password#token=abc or enter 042137.",
		HTML:    `<p><a href="https://app.example.com/reset-password#token=abc">Reset</a> 042137</p>`,
	},
}

func newMailer(t *testing.T, url string, s *smtptest.Server) *smtpmail.Mailer {
	t.Helper()
	cfg := smtpmail.Config{URL: url, From: "authd <no-reply@auth.example.com>", Timeout: 5 * time.Second}
	if s != nil {
		cfg.RootCAs = s.RootCAs()
	}
	m, err := smtpmail.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func send(m *smtpmail.Mailer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return m.Send(ctx, message)
}

func TestRequiredSTARTTLSWithAuthentication(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{STARTTLS: true, Username: "authd", Password: "s3cret pass"})
	if err := send(newMailer(t, s.URL("starttls=required"), s)); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := s.WaitFor(t, 1, 5*time.Second)[0]
	if !got.TLS || got.AuthUser != "authd" || got.From != "no-reply@auth.example.com" || got.To[0] != "ada@example.com" {
		t.Fatalf("tls=%v auth=%q from=%q to=%v", got.TLS, got.AuthUser, got.From, got.To)
	}
	if got.ContentType != "multipart/alternative" || got.Subject != "Reset your password" ||
		!strings.Contains(got.Text, "#token=abc") || !strings.Contains(got.HTML, `href="https://app.example.com/reset-password#token=abc"`) {
		t.Fatalf("message: type %q subject %q\ntext %q\nhtml %q", got.ContentType, got.Subject, got.Text, got.HTML)
	}
	if id := got.Header.Get("Message-Id"); id != "<"+message.MessageID+"@auth.example.com>" {
		t.Fatalf("Message-ID %q", id)
	}
}

func TestImplicitTLS(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{ImplicitTLS: true})
	if err := send(newMailer(t, s.URL(""), s)); err != nil {
		t.Fatalf("send: %v", err)
	}
	if got := s.WaitFor(t, 1, 5*time.Second)[0]; !got.TLS {
		t.Fatal("smtps:// delivered without TLS")
	}
}

func TestOpportunisticSTARTTLSUsesTLSWhenOffered(t *testing.T) {
	withTLS := smtptest.Start(t, smtptest.Options{STARTTLS: true})
	if err := send(newMailer(t, withTLS.URL(""), withTLS)); err != nil {
		t.Fatal(err)
	}
	if !withTLS.WaitFor(t, 1, 5*time.Second)[0].TLS {
		t.Fatal("STARTTLS offered but not used")
	}
	plain := smtptest.Start(t, smtptest.Options{})
	if err := send(newMailer(t, plain.URL(""), plain)); err != nil {
		t.Fatalf("opportunistic without STARTTLS: %v", err)
	}
	if err := send(newMailer(t, plain.URL("starttls=off"), plain)); err != nil {
		t.Fatalf("starttls=off: %v", err)
	}
	if n := len(plain.WaitFor(t, 2, 5*time.Second)); n != 2 {
		t.Fatalf("%d messages", n)
	}
}

func TestRequiredSTARTTLSIsNotDowngraded(t *testing.T) {
	plain := smtptest.Start(t, smtptest.Options{})
	err := send(newMailer(t, plain.URL("starttls=required"), plain))
	if err == nil || errors.Is(err, outbound.ErrMailRejected) {
		t.Fatalf("starttls=required against a server without it: %v, want a retryable error", err)
	}
	untrusted := smtptest.Start(t, smtptest.Options{STARTTLS: true})
	if err := send(newMailer(t, untrusted.URL("starttls=required"), nil)); err == nil {
		t.Fatal("a certificate from an unknown CA was accepted")
	}
	if len(plain.Messages())+len(untrusted.Messages()) != 0 {
		t.Fatal("a message went out")
	}
}

func TestWrongCredentialsNeverShowThePassword(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{STARTTLS: true, Username: "authd", Password: "right"})
	url := strings.Replace(s.URL("starttls=required"), "right", "wr0ng-Pa55", 1)
	err := send(newMailer(t, url, s))
	if err == nil || strings.Contains(err.Error(), "wr0ng-Pa55") {
		t.Fatalf("wrong credentials: %v", err)
	}
}

func TestRefusalsAreClassified(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Reject: func(rcpt string) error {
		switch rcpt {
		case "gone@example.com":
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case "busy@example.com":
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
		}
		return nil
	}})
	m := newMailer(t, s.URL("starttls=off"), s)
	gone, busy := message, message
	gone.To, busy.To = "gone@example.com", "busy@example.com"
	if err := m.Send(context.Background(), gone); !errors.Is(err, outbound.ErrMailRejected) {
		t.Fatalf("550: %v, want ErrMailRejected", err)
	}
	if err := m.Send(context.Background(), busy); err == nil || errors.Is(err, outbound.ErrMailRejected) {
		t.Fatalf("451: %v, want a retryable error", err)
	}
}

func TestAServerThatIsDownOrSilentFailsWithinTheDeadline(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	url := s.URL("starttls=off")
	s.Stop()
	if err := send(newMailer(t, url, nil)); err == nil || errors.Is(err, outbound.ErrMailRejected) {
		t.Fatalf("server down: %v, want a retryable error", err)
	}
	// A server that accepts the connection and says nothing.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	m := newMailer(t, "smtp://"+ln.Addr().String()+"?starttls=off", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := m.Send(ctx, message); err == nil {
		t.Fatal("a silent server accepted the message")
	}
	if took := time.Since(start); took > 4*time.Second {
		t.Fatalf("a silent server held the send for %s", took)
	}
}

func TestParseURL(t *testing.T) {
	good := map[string]smtpmail.Endpoint{
		"smtp://mail.example.com":                   {Host: "mail.example.com", Port: 587, Security: smtpmail.STARTTLSOpportunistic},
		"smtp://u:p%40ss@mail.example.com:2525":     {Host: "mail.example.com", Port: 2525, Username: "u", Password: "p@ss"},
		"smtp://mail.example.com?starttls=required": {Host: "mail.example.com", Port: 587, Security: smtpmail.STARTTLSRequired},
		"smtp://127.0.0.1:25?starttls=off":          {Host: "127.0.0.1", Port: 25, Security: smtpmail.Plain},
		"smtps://apikey:secret@smtp.example.com":    {Host: "smtp.example.com", Port: 465, Security: smtpmail.ImplicitTLS, Username: "apikey", Password: "secret"},
		"smtp://[::1]:1025?starttls=off":            {Host: "::1", Port: 1025, Security: smtpmail.Plain},
	}
	for raw, want := range good {
		got, err := smtpmail.ParseURL(raw)
		if err != nil || got != want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	for _, raw := range []string{
		"", "mail.example.com", "http://mail.example.com", "smtp://", "smtp://:25", "smtp://h:0", "smtp://h:70000",
		"smtp://h?starttls=maybe", "smtp://h?tls=1", "smtps://h?starttls=off", "smtp://h/path", "smtp://u:hunter2@h?x=1",
	} {
		_, err := smtpmail.ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL(%q) accepted", raw)
		} else if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseURL error shows the password: %v", err)
		}
	}
}
