package application

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ListAudit lets administrators read the audit trail.
type ListAudit struct {
	audit outbound.AuditLog
}

var _ inbound.ListAudit = (*ListAudit)(nil)

// NewListAudit builds the use case.
func NewListAudit(log outbound.AuditLog) *ListAudit { return &ListAudit{audit: log} }

// Handle returns events newest first, filtered by user and type.
func (uc *ListAudit) Handle(ctx context.Context, q inbound.ListAuditQuery) (inbound.AuditPage, error) {
	if err := requireAdmin(q.Principal); err != nil {
		return inbound.AuditPage{}, err
	}
	problems := &validation.Error{}
	limit, err := pageSize(q.Limit)
	problems.Merge(err)
	before, err := decodeCursor(q.Cursor)
	problems.Merge(err)
	var typ audit.Type
	if q.Type != "" {
		typ, err = audit.ParseType(q.Type)
		problems.Merge(err)
	}
	if err := problems.OrNil(); err != nil {
		return inbound.AuditPage{}, err
	}
	events, err := uc.audit.List(ctx, outbound.AuditQuery{UserID: q.UserID, Type: typ, Before: audit.ID(before), Limit: limit + 1})
	if err != nil {
		return inbound.AuditPage{}, err
	}
	page := inbound.AuditPage{Events: events}
	if len(events) > limit {
		page.Events = events[:limit]
		page.NextCursor = encodeCursor(ident.UUID(page.Events[limit-1].ID))
	}
	return page, nil
}
