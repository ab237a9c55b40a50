package application

import (
	"context"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// AuditTrail lets administrators read the audit trail.
type AuditTrail struct {
	audit outbound.AuditLog
}

var _ inbound.AuditTrail = (*AuditTrail)(nil)

// NewAuditTrail builds the use case.
func NewAuditTrail(d Deps) *AuditTrail { return &AuditTrail{audit: d.Audit} }

// ListAudit returns events newest first, filtered by user and type.
func (uc *AuditTrail) ListAudit(ctx context.Context, p inbound.Principal, q inbound.AuditQuery) (inbound.AuditPage, error) {
	if err := requireAdmin(p); err != nil {
		return inbound.AuditPage{}, err
	}
	problems := &user.ValidationError{}
	limit, err := pageSize(q.Limit)
	problems.Merge(err)
	before, err := decodeCursor(q.Cursor)
	problems.Merge(err)
	var typ audit.Type
	if q.Type != "" {
		typ, err = audit.ParseType(q.Type)
		problems.Merge(err)
	}
	if q.UserID != "" && !isUUID(q.UserID) {
		problems.Add("userId", "must be a user id")
	}
	if err := problems.OrNil(); err != nil {
		return inbound.AuditPage{}, err
	}
	events, err := uc.audit.List(ctx, outbound.AuditQuery{UserID: user.ID(q.UserID), Type: typ, Before: before, Limit: limit + 1})
	if err != nil {
		return inbound.AuditPage{}, err
	}
	page := inbound.AuditPage{Events: events}
	if len(events) > limit {
		page.Events = events[:limit]
		page.NextCursor = encodeCursor(page.Events[limit-1].ID)
	}
	return page, nil
}

// PruneAudit deletes audit events older than the retention period. The
// wiring runs it periodically.
type PruneAudit struct {
	audit     outbound.AuditLog
	clock     outbound.Clock
	retention time.Duration
}

// NewPruneAudit builds the use case.
func NewPruneAudit(d Deps) *PruneAudit {
	return &PruneAudit{audit: d.Audit, clock: d.Clock, retention: d.Settings.AuditRetention}
}

// Prune removes expired events and says how many.
func (uc *PruneAudit) Prune(ctx context.Context) (int64, error) {
	if uc.retention <= 0 {
		return 0, nil
	}
	return uc.audit.DeleteBefore(ctx, uc.clock.Now().Add(-uc.retention))
}
