package application

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// RotateSigningKey adds a new signing key and records the rotation.
type RotateSigningKey struct {
	keys   outbound.SigningKeyStore
	audit  outbound.AuditLog
	events eventFactory
}

var _ inbound.RotateSigningKey = (*RotateSigningKey)(nil)

// NewRotateSigningKey builds the use case.
func NewRotateSigningKey(keys outbound.SigningKeyStore, log outbound.AuditLog, clock outbound.Clock, ids outbound.IDGenerator) *RotateSigningKey {
	return &RotateSigningKey{keys: keys, audit: log, events: eventFactory{clock: clock, ids: ids}}
}

// Handle rotates, then records the new key id (never key material). The key
// file exists before the event is written, so a failed write leaves a
// working key and an error that says the event is missing.
func (uc *RotateSigningKey) Handle(ctx context.Context, cmd inbound.RotateSigningKeyCommand) (string, error) {
	kid, err := uc.keys.Rotate(ctx)
	if err != nil {
		return "", err
	}
	e := uc.events.new(audit.KeyRotated, user.ID{}, session.ID{}, cmd.Client, map[string]string{"kid": kid})
	if err := uc.audit.Record(ctx, e); err != nil {
		return kid, err
	}
	return kid, nil
}
