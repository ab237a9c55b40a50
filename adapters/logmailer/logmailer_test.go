package logmailer_test

import (
	"context"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/authd/authd/adapters/logmailer"
	"github.com/authd/authd/ports/outbound"
)

func TestOneStructuredLinePerMessage(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	m := logmailer.New(zap.New(core))
	err := m.Send(context.Background(), outbound.Mail{
		MessageID: "id-1", To: "ada@example.com", Purpose: outbound.MailVerifyEmail,
		Content:  outbound.MailContent{Link: "http://localhost:3000/verify-email#token=abc", Code: "123456"},
		Rendered: outbound.RenderedMail{Subject: "Verify your email address"},
	})
	if err != nil {
		t.Fatal(err)
	}
	entries := logs.All()
	if len(entries) != 1 {
		t.Fatalf("%d lines, want 1", len(entries))
	}
	got := entries[0].ContextMap()
	for k, want := range map[string]string{
		"to": "ada@example.com", "purpose": "verify_email", "link": "http://localhost:3000/verify-email#token=abc", "code": "123456",
	} {
		if got[k] != want {
			t.Fatalf("%s = %v, want %q (line %v)", k, got[k], want, got)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Send(ctx, outbound.Mail{}); err == nil {
		t.Fatal("a cancelled send succeeded")
	}
}
