// Package logmailer is the development mailer: instead of sending a
// message it writes one structured log line holding its recipient,
// purpose, link and code, so the flows can be followed with no mail
// server. The wiring binds it only in development and test, and only
// while mail.smtp_url is empty; with SMTP configured no token or code is
// ever logged.
package logmailer

import (
	"context"

	"go.uber.org/zap"

	"github.com/authd/authd/ports/outbound"
)

// Mailer logs each message at info level.
type Mailer struct{ log *zap.Logger }

var _ outbound.Mailer = Mailer{}

// New returns a mailer writing to log.
func New(log *zap.Logger) Mailer { return Mailer{log: log} }

// Send writes the line "mail (log mailer, not sent)".
func (m Mailer) Send(ctx context.Context, msg outbound.Mail) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	fields := []zap.Field{
		zap.String("to", msg.To),
		zap.String("purpose", string(msg.Purpose)),
		zap.String("subject", msg.Rendered.Subject),
		zap.String("message_id", msg.MessageID),
	}
	if msg.Content.Link != "" {
		fields = append(fields, zap.String("link", msg.Content.Link))
	}
	if msg.Content.Code != "" {
		fields = append(fields, zap.String("code", msg.Content.Code))
	}
	if msg.Content.NewEmail != "" {
		fields = append(fields, zap.String("new_email", msg.Content.NewEmail))
	}
	m.log.Info("mail (log mailer, not sent)", fields...)
	return nil
}
