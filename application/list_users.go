package application

import (
	"context"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ListUsers pages through accounts in creation order for administrators.
type ListUsers struct {
	users outbound.UserRepository
}

var _ inbound.ListUsers = (*ListUsers)(nil)

// NewListUsers builds the use case.
func NewListUsers(users outbound.UserRepository) *ListUsers {
	return &ListUsers{users: users}
}

// Handle returns one page, filtered by an email prefix.
func (uc *ListUsers) Handle(ctx context.Context, q inbound.ListUsersQuery) (inbound.UserPage, error) {
	if err := requireAdmin(q.Principal); err != nil {
		return inbound.UserPage{}, err
	}
	limit, err := pageSize(q.Limit)
	if err != nil {
		return inbound.UserPage{}, err
	}
	after, err := decodeCursor(q.Cursor)
	if err != nil {
		return inbound.UserPage{}, err
	}
	// One extra row tells whether another page follows.
	users, err := uc.users.List(ctx, outbound.UserQuery{
		EmailPrefix: user.NormalizeEmailPrefix(q.EmailPrefix), After: user.ID(after), Limit: limit + 1,
	})
	if err != nil {
		return inbound.UserPage{}, err
	}
	page := inbound.UserPage{Users: users}
	if len(users) > limit {
		page.Users = users[:limit]
		page.NextCursor = encodeCursor(ident.UUID(page.Users[limit-1].ID()))
	}
	return page, nil
}
