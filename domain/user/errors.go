package user

import (
	"errors"
	"strings"
)

// Domain errors of the user aggregate. Adapters translate storage errors into
// these so that use cases and the HTTP edge never see a driver error.
var (
	// ErrNotFound means no user has the given id or email.
	ErrNotFound = errors.New("user: not found")
	// ErrEmailTaken means another account already uses the (normalised) email.
	ErrEmailTaken = errors.New("user: email taken")
	// ErrDisabled means the account exists but an administrator disabled it.
	ErrDisabled = errors.New("user: disabled")
)

// FieldError names one invalid input field and says why, in words a client
// can show to a person. It never echoes the rejected value.
type FieldError struct {
	Field   string
	Message string
}

// ValidationError collects every invalid field of one request.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "validation failed: " + strings.Join(parts, "; ")
}

// Add records one invalid field.
func (e *ValidationError) Add(field, message string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: message})
}

// Merge appends the fields of err when err is a *ValidationError and reports
// whether it was one.
func (e *ValidationError) Merge(err error) bool {
	var ve *ValidationError
	if errors.As(err, &ve) {
		e.Fields = append(e.Fields, ve.Fields...)
		return true
	}
	return false
}

// OrNil returns e when it holds at least one field, otherwise nil.
func (e *ValidationError) OrNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Invalid returns a ValidationError for a single field.
func Invalid(field, message string) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Message: message}}}
}
