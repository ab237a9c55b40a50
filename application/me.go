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

// Me returns the principal's user.
func (Me) Me(_ context.Context, p inbound.Principal) (*user.User, error) {
	return p.User, nil
}
