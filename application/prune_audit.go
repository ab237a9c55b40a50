package application

import (
	"context"
	"time"

	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// PruneAudit deletes audit events older than the retention period. A
// background worker in the wiring runs it periodically.
type PruneAudit struct {
	audit     outbound.AuditLog
	clock     outbound.Clock
	retention time.Duration
}

var _ inbound.PruneAudit = (*PruneAudit)(nil)

// NewPruneAudit builds the use case.
func NewPruneAudit(log outbound.AuditLog, clock outbound.Clock, retention AuditRetention) *PruneAudit {
	return &PruneAudit{audit: log, clock: clock, retention: time.Duration(retention)}
}

// Handle removes expired events and says how many.
func (uc *PruneAudit) Handle(ctx context.Context, _ inbound.PruneAuditCommand) (int64, error) {
	if uc.retention <= 0 {
		return 0, nil
	}
	return uc.audit.DeleteBefore(ctx, uc.clock.Now().Add(-uc.retention))
}
