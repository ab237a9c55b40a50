package metrics

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Transactor counts the audit events of each unit of work once the unit has
// committed: a unit that rolls back (or is run again after a conflict)
// counts only what finally committed.
type Transactor struct {
	Next    outbound.Transactor
	Metrics *Metrics
}

var _ outbound.Transactor = Transactor{}

// Within runs fn through Next, handing it an audit log that notes the
// types of the events it records.
func (t Transactor) Within(ctx context.Context, fn func(context.Context, outbound.Repositories) error) error {
	var recorded []audit.Type
	err := t.Next.Within(ctx, func(ctx context.Context, repos outbound.Repositories) error {
		recorded = recorded[:0] // a unit run again starts afresh
		repos.Audit = notingAudit{AuditLog: repos.Audit, noted: &recorded}
		return fn(ctx, repos)
	})
	if err == nil {
		for _, typ := range recorded {
			t.Metrics.AuditEvent(typ)
		}
	}
	return err
}

// notingAudit is the audit log of one unit of work, noting what it records.
type notingAudit struct {
	outbound.AuditLog
	noted *[]audit.Type
}

func (a notingAudit) Record(ctx context.Context, e audit.Event) error {
	if err := a.AuditLog.Record(ctx, e); err != nil {
		return err
	}
	*a.noted = append(*a.noted, e.Type)
	return nil
}

// AuditLog counts the events recorded outside any unit of work (a failed
// or locked-out login), once stored.
type AuditLog struct {
	outbound.AuditLog
	Metrics *Metrics
}

var _ outbound.AuditLog = AuditLog{}

// Record stores e through the wrapped log and counts it.
func (a AuditLog) Record(ctx context.Context, e audit.Event) error {
	if err := a.AuditLog.Record(ctx, e); err != nil {
		return err
	}
	a.Metrics.AuditEvent(e.Type)
	return nil
}

// Observed decorates a use case so that observe sees every command with
// its result and error, after the use case has answered.
func Observed[C, R any](next inbound.Handler[C, R], observe func(C, R, error)) inbound.Handler[C, R] {
	return observed[C, R]{next: next, observe: observe}
}

type observed[C, R any] struct {
	next    inbound.Handler[C, R]
	observe func(C, R, error)
}

func (o observed[C, R]) Handle(ctx context.Context, cmd C) (R, error) {
	r, err := o.next.Handle(ctx, cmd)
	o.observe(cmd, r, err)
	return r, err
}
