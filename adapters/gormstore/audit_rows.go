package gormstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// auditRow is the audit_events table as GORM sees it. The optional ids are
// pointers so that "no user" and "no session" are stored as NULL.
type auditRow struct {
	ID        string    `gorm:"column:id;primaryKey"`
	Type      string    `gorm:"column:type"`
	UserID    *string   `gorm:"column:user_id"`
	SessionID *string   `gorm:"column:session_id"`
	IP        string    `gorm:"column:ip"`
	UserAgent string    `gorm:"column:user_agent"`
	At        time.Time `gorm:"column:at"`
	// Detail is the JSON object text of the event's detail map: jsonb on
	// PostgreSQL, text on SQLite.
	Detail string `gorm:"column:detail"`
}

// TableName tells GORM the table name.
func (auditRow) TableName() string { return "audit_events" }

// auditToRow encodes the detail and maps zero ids to NULL.
func auditToRow(e audit.Event) (auditRow, error) {
	detail := e.Detail
	if detail == nil {
		detail = map[string]string{}
	}
	encoded, err := json.Marshal(detail)
	if err != nil {
		return auditRow{}, fmt.Errorf("gormstore: encode detail of audit event %s: %w", e.ID, err)
	}
	row := auditRow{
		ID: e.ID.String(), Type: string(e.Type),
		IP: e.IP, UserAgent: e.UserAgent, At: dbTime(e.At), Detail: string(encoded),
	}
	if !e.UserID.IsZero() {
		id := e.UserID.String()
		row.UserID = &id
	}
	if !e.SessionID.IsZero() {
		id := e.SessionID.String()
		row.SessionID = &id
	}
	return row, nil
}

func (r auditRow) toDomain() (audit.Event, error) {
	id, err := audit.ParseID(r.ID)
	if err != nil {
		return audit.Event{}, fmt.Errorf("gormstore: stored audit event has a malformed id: %w", err)
	}
	detail := map[string]string{}
	if err := json.Unmarshal([]byte(r.Detail), &detail); err != nil {
		// The cause names a JSON position, never the stored values.
		return audit.Event{}, fmt.Errorf("gormstore: stored audit event %s has an invalid detail: %w", r.ID, err)
	}
	e := audit.Event{
		ID: id, Type: audit.Type(r.Type), IP: r.IP, UserAgent: r.UserAgent,
		At: r.At.UTC(), Detail: detail,
	}
	if r.UserID != nil {
		if e.UserID, err = user.ParseID(*r.UserID); err != nil {
			return audit.Event{}, fmt.Errorf("gormstore: stored audit event %s has a malformed user id: %w", r.ID, err)
		}
	}
	if r.SessionID != nil {
		if e.SessionID, err = session.ParseID(*r.SessionID); err != nil {
			return audit.Event{}, fmt.Errorf("gormstore: stored audit event %s has a malformed session id: %w", r.ID, err)
		}
	}
	return e, nil
}
