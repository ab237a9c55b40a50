package validation_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/authd/authd/domain/validation"
)

func TestMergeCollectsFieldsInOrder(t *testing.T) {
	problems := &validation.Error{}
	if !problems.Merge(validation.Invalid("email", "is required")) {
		t.Fatal("a validation error was not merged")
	}
	if problems.Merge(errors.New("disk on fire")) {
		t.Fatal("another error was merged as a validation error")
	}
	problems.Merge(nil)
	problems.Add("password", "is too short")
	err := problems.OrNil()
	var ve *validation.Error
	if !errors.As(err, &ve) || len(ve.Fields) != 2 || ve.Fields[0].Field != "email" || ve.Fields[1].Field != "password" {
		t.Fatalf("got %v", err)
	}
	if err.Error() != "validation failed: email: is required; password: is too short" {
		t.Fatalf("message %q", err.Error())
	}
}

func TestOrNilIsNilWithoutFields(t *testing.T) {
	if err := (&validation.Error{}).OrNil(); err != nil {
		t.Fatalf("empty error is %v", err)
	}
	var nilErr *validation.Error
	if err := nilErr.OrNil(); err != nil {
		t.Fatalf("nil error is %v", err)
	}
}

func TestRenameMovesEveryFinding(t *testing.T) {
	policy := &validation.Error{}
	policy.Add("password", "is too short")
	policy.Add("password", "is too common")
	got := validation.Rename(fmt.Errorf("wrapped: %w", policy), "newPassword")
	if len(got.Fields) != 2 || got.Fields[0] != (validation.FieldError{Field: "newPassword", Message: "is too short"}) ||
		got.Fields[1].Field != "newPassword" {
		t.Fatalf("renamed %v", got.Fields)
	}
	other := validation.Rename(errors.New("boom"), "newPassword")
	if len(other.Fields) != 1 || other.Fields[0].Field != "newPassword" || other.Fields[0].Message != "is invalid" {
		t.Fatalf("renamed a plain error to %v", other.Fields)
	}
}
