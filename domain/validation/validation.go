// Package validation holds the one error type for input that breaks a rule:
// every invalid field of a request, each with a reason a client can show a
// person. Every layer may return it; the HTTP edge answers it with
// 400 validation_failed. It never echoes the rejected value.
package validation

import (
	"errors"
	"strings"
)

// FieldError names one invalid input field and says why.
type FieldError struct {
	Field   string
	Message string
}

// Error collects every invalid field of one request.
type Error struct {
	Fields []FieldError
}

func (e *Error) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "validation failed: " + strings.Join(parts, "; ")
}

// Add records one invalid field.
func (e *Error) Add(field, message string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: message})
}

// Merge appends the fields of err when err is an *Error and reports whether
// it was one.
func (e *Error) Merge(err error) bool {
	var ve *Error
	if errors.As(err, &ve) {
		e.Fields = append(e.Fields, ve.Fields...)
		return true
	}
	return false
}

// Rename returns err's fields under another field name, or one generic
// entry for an error that is not an *Error. ChangePassword uses it to report
// the password policy's findings under "newPassword".
func Rename(err error, field string) *Error {
	out := &Error{}
	var ve *Error
	if !errors.As(err, &ve) {
		out.Add(field, "is invalid")
		return out
	}
	for _, f := range ve.Fields {
		out.Add(field, f.Message)
	}
	return out
}

// OrNil returns e when it holds at least one field, otherwise nil.
func (e *Error) OrNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Invalid returns an Error for a single field.
func Invalid(field, message string) error {
	return &Error{Fields: []FieldError{{Field: field, Message: message}}}
}
