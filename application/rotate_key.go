package application

import (
	"context"

	"github.com/authd/authd/domain/audit"
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
func NewRotateSigningKey(d Deps, keys outbound.SigningKeyStore) *RotateSigningKey {
	return &RotateSigningKey{keys: keys, audit: d.Audit, events: newEventFactory(d)}
}

// RotateSigningKey rotates, then records the new key id (never key
// material). The key file exists before the event is written, so a failed
// write leaves a working key and an error that says the event is missing.
func (uc *RotateSigningKey) RotateSigningKey(ctx context.Context, client inbound.Client) (string, error) {
	kid, err := uc.keys.Rotate(ctx)
	if err != nil {
		return "", err
	}
	if err := uc.audit.Record(ctx, uc.events.new(audit.KeyRotated, "", "", client, map[string]string{"kid": kid})); err != nil {
		return kid, err
	}
	return kid, nil
}
