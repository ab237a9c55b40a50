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
// pointers so that "no user" and "no session" are stored as NULL: an empty
// string is not a uuid.
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

// auditToRow checks the ids (a malformed one would make PostgreSQL's uuid
// type fail with an error quoting it) and encodes the detail.
func auditToRow(e audit.Event) (auditRow, error) {
	if !isID(e.ID) {
		return auditRow{}, user.Invalid("id", "must be a UUID")
	}
	userID, err := optionalID("userId", string(e.UserID))
	if err != nil {
		return auditRow{}, err
	}
	sessionID, err := optionalID("sessionId", string(e.SessionID))
	if err != nil {
		return auditRow{}, err
	}
	detail := e.Detail
	if detail == nil {
		detail = map[string]string{}
	}
	encoded, err := json.Marshal(detail)
	if err != nil {
		return auditRow{}, fmt.Errorf("gormstore: encode detail of audit event %s: %w", e.ID, err)
	}
	return auditRow{
		ID: e.ID, Type: string(e.Type), UserID: userID, SessionID: sessionID,
		IP: e.IP, UserAgent: e.UserAgent, At: dbTime(e.At), Detail: string(encoded),
	}, nil
}

// optionalID maps "" to NULL and rejects anything but a UUID otherwise.
func optionalID(field, id string) (*string, error) {
	if id == "" {
		return nil, nil
	}
	if !isID(id) {
		return nil, user.Invalid(field, "must be a UUID")
	}
	return &id, nil
}

func (r auditRow) toDomain() (audit.Event, error) {
	detail := map[string]string{}
	if err := json.Unmarshal([]byte(r.Detail), &detail); err != nil {
		// The cause names a JSON position, never the stored values.
		return audit.Event{}, fmt.Errorf("gormstore: stored audit event %s has an invalid detail: %w", r.ID, err)
	}
	e := audit.Event{
		ID: r.ID, Type: audit.Type(r.Type), IP: r.IP, UserAgent: r.UserAgent,
		At: r.At.UTC(), Detail: detail,
	}
	if r.UserID != nil {
		e.UserID = user.ID(*r.UserID)
	}
	if r.SessionID != nil {
		e.SessionID = session.ID(*r.SessionID)
	}
	return e, nil
}
