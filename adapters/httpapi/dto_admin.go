package httpapi

import (
	"encoding/json"
	"reflect"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/validation"
)

// optional is a PATCH field: it tells an absent member (leave as is) from
// an explicit null (refused: no field of the admin PATCH can be cleared)
// from a value. A pointer cannot tell the first two apart.
type optional[T any] struct {
	set   bool
	null  bool
	value T
}

// UnmarshalJSON is called only for members present in the body, null
// included. A value of the wrong JSON type is reported as an
// UnmarshalTypeError, to which the decoder adds the field name.
func (o *optional[T]) UnmarshalJSON(raw []byte) error {
	o.set = true
	if string(raw) == "null" {
		o.null = true
		return nil
	}
	if err := json.Unmarshal(raw, &o.value); err != nil {
		return &json.UnmarshalTypeError{Value: "value", Type: reflect.TypeFor[T]()}
	}
	return nil
}

// ptr returns the value when one was sent, nil when the member was absent.
func (o optional[T]) ptr() *T {
	if !o.set || o.null {
		return nil
	}
	v := o.value
	return &v
}

// updateUserRequest is the body of PATCH /v1/admin/users/{id}.
type updateUserRequest struct {
	Role     optional[string] `json:"role"`
	Disabled optional[bool]   `json:"disabled"`
	FullName optional[string] `json:"fullName"`
}

// nulls reports every member sent as null, in declaration order.
func (r updateUserRequest) nulls() error {
	problems := &validation.Error{}
	for _, f := range []struct {
		name string
		null bool
	}{{"role", r.Role.null}, {"disabled", r.Disabled.null}, {"fullName", r.FullName.null}} {
		if f.null {
			problems.Add(f.name, "must not be null")
		}
	}
	return problems.OrNil()
}

// Pages of the admin listings. NextCursor is null on the last page (rather
// than absent), so that clients can test one member whatever the page.
type (
	userPageResponse struct {
		Users      []userDTO `json:"users"`
		NextCursor *string   `json:"nextCursor"`
	}
	auditPageResponse struct {
		Events     []auditEventDTO `json:"events"`
		NextCursor *string         `json:"nextCursor"`
	}
)

// auditEventDTO is one entry of the audit trail. UserID and SessionID are
// null when the event concerns no known account or no session; Detail is
// always an object.
type auditEventDTO struct {
	ID        string            `json:"id"`
	Type      string            `json:"type"`
	UserID    *string           `json:"userId"`
	SessionID *string           `json:"sessionId"`
	IP        string            `json:"ip"`
	UserAgent string            `json:"userAgent"`
	At        string            `json:"at"`
	Detail    map[string]string `json:"detail"`
}

func toAuditEventDTO(e audit.Event) auditEventDTO {
	detail := e.Detail
	if detail == nil {
		detail = map[string]string{}
	}
	return auditEventDTO{
		ID:        e.ID.String(),
		Type:      string(e.Type),
		UserID:    idOrNull(e.UserID.IsZero(), e.UserID.String),
		SessionID: idOrNull(e.SessionID.IsZero(), e.SessionID.String),
		IP:        e.IP,
		UserAgent: e.UserAgent,
		At:        timestamp(e.At),
		Detail:    detail,
	}
}

// nonEmpty returns nil for "", so that JSON shows null: the cursor of the
// last page.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// idOrNull returns nil for a zero id, so that JSON shows null.
func idOrNull(zero bool, text func() string) *string {
	if zero {
		return nil
	}
	s := text()
	return &s
}
