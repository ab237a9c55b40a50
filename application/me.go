package application

import (
	"context"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

// Me returns the caller's account. Authentication has just read the user's
// current record, so no further lookup is needed.
type Me struct{}

var _ inbound.Me = Me{}

// NewMe builds the use case.
func NewMe() Me { return Me{} }

// Handle returns the principal's user.
func (Me) Handle(_ context.Context, q inbound.MeQuery) (*user.User, error) {
	return q.Principal.User, nil
}
