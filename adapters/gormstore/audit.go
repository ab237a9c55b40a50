package gormstore

import (
	"context"
	"fmt"

	"gorm.io/gorm/clause"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/ports/outbound"
)

// AuditLog stores audit events in the audit_events table. One handed out by
// Transactor.Within writes in that transaction, so an event commits or rolls
// back with the change it records.
type AuditLog struct{ conn conn }

var (
	_ outbound.AuditLog      = (*AuditLog)(nil)
	_ outbound.AuditImporter = (*AuditLog)(nil)
)

// Record inserts e; zero user and session ids are stored as NULL.
//
// As in UserRepository.Add, ON CONFLICT DO NOTHING keeps a duplicate id from
// raising an error that would abort the surrounding PostgreSQL transaction;
// a duplicate is a broken invariant, so an internal error.
func (l *AuditLog) Record(ctx context.Context, e audit.Event) error {
	ctx, cancel := l.conn.bound(ctx)
	defer cancel()
	row, err := auditToRow(e)
	if err != nil {
		return err
	}
	res := l.conn.with(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return l.conn.wrap("record audit event", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("gormstore: record audit event: id %s already exists", row.ID)
	}
	return nil
}

// Import inserts the events in one statement, skipping those whose id the
// table holds already (ON CONFLICT DO NOTHING): the idempotent path by
// which events committed in a session store reach the table, each once.
func (l *AuditLog) Import(ctx context.Context, events []audit.Event) error {
	if len(events) == 0 {
		return nil
	}
	ctx, cancel := l.conn.bound(ctx)
	defer cancel()
	rows := make([]auditRow, len(events))
	for i, e := range events {
		row, err := auditToRow(e)
		if err != nil {
			return err
		}
		rows[i] = row
	}
	err := l.conn.with(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error
	return l.conn.wrap("import audit events", err)
}

// List returns the events matching q, newest first. Ids are UUIDv7, so
// ordering by id is ordering by time, and the primary key (or the user and
// type indexes, which end in id) serves the query and its cursor.
func (l *AuditLog) List(ctx context.Context, q outbound.AuditQuery) ([]audit.Event, error) {
	ctx, cancel := l.conn.bound(ctx)
	defer cancel()
	query := l.conn.with(ctx).Model(&auditRow{}).Order("id DESC").Limit(q.Limit)
	if !q.UserID.IsZero() {
		query = query.Where("user_id = ?", q.UserID.String())
	}
	if q.Type != "" {
		query = query.Where("type = ?", string(q.Type))
	}
	if !q.Before.IsZero() {
		query = query.Where("id < ?", q.Before.String())
	}
	var rows []auditRow
	if err := query.Find(&rows).Error; err != nil {
		return nil, l.conn.wrap("list audit events", err)
	}
	out := make([]audit.Event, 0, len(rows))
	for _, row := range rows {
		e, err := row.toDomain()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
