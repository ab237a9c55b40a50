package application

import (
	"context"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// GetUser returns one account to an administrator.
type GetUser struct {
	users outbound.UserRepository
}

var _ inbound.GetUser = (*GetUser)(nil)

// NewGetUser builds the use case.
func NewGetUser(users outbound.UserRepository) *GetUser {
	return &GetUser{users: users}
}

// Handle returns the account or user.ErrNotFound.
func (uc *GetUser) Handle(ctx context.Context, q inbound.GetUserQuery) (*user.User, error) {
	if err := requireAdmin(q.Principal); err != nil {
		return nil, err
	}
	return uc.users.Get(ctx, q.UserID)
}
