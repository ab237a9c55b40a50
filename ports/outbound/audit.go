package outbound

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/user"
)

// AuditQuery filters the audit trail. Events come newest first; Before is
// the id of the last event of the previous page (ids sort by time). Zero
// fields do not filter.
type AuditQuery struct {
	UserID user.ID
	Type   audit.Type
	Before audit.ID
	Limit  int
}

// AuditLog stores audit events. Bound to a transaction (through
// Transactor), Record commits or rolls back with the change it records.
type AuditLog interface {
	Record(ctx context.Context, e audit.Event) error
	// List returns at most q.Limit events matching q, newest first.
	List(ctx context.Context, q AuditQuery) ([]audit.Event, error)
}
