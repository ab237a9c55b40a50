package application

import (
	"context"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// RotateSigningKey adds a new signing key and records the rotation.
type RotateSigningKey struct {
	keys   outbound.SigningKeyStore
	audit  outbound.AuditLog
	clock  outbound.Clock
	events eventFactory
}

var _ inbound.RotateSigningKey = (*RotateSigningKey)(nil)

// NewRotateSigningKey builds the use case.
func NewRotateSigningKey(keys outbound.SigningKeyStore, log outbound.AuditLog, clock outbound.Clock, ids outbound.IDGenerator) *RotateSigningKey {
	return &RotateSigningKey{keys: keys, audit: log, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// Handle rotates, then records the new key id (never key material). The key
// file exists before the event is written, so a failed write leaves a
// working key and an error that says the event is missing.
func (uc *RotateSigningKey) Handle(ctx context.Context, cmd inbound.RotateSigningKeyCommand) (string, error) {
	if cmd.ActivateIn < 0 {
		return "", validation.Invalid("activateIn", "must not be negative")
	}
	activates := uc.clock.Now().Add(cmd.ActivateIn).UTC().Truncate(time.Second)
	kid, err := uc.keys.Rotate(ctx, activates)
	if err != nil {
		return "", err
	}
	e := uc.events.new(audit.KeyRotated, user.ID{}, session.ID{}, cmd.Client,
		map[string]string{"kid": kid, "activatesAt": activates.Format(time.RFC3339)})
	if err := uc.audit.Record(ctx, e); err != nil {
		return kid, err
	}
	return kid, nil
}
