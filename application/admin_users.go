package application

import (
	"context"
	"strconv"
	"strings"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// AdminUsers lets administrators list, inspect, change and delete accounts
// and end their sessions. Every change and its audit event commit together.
type AdminUsers struct {
	users    outbound.UserRepository
	sessions outbound.SessionRepository
	tx       outbound.Transactor
	clock    outbound.Clock
	events   eventFactory
}

var _ inbound.AdminUsers = (*AdminUsers)(nil)

// NewAdminUsers builds the use cases.
func NewAdminUsers(d Deps) *AdminUsers {
	return &AdminUsers{users: d.Users, sessions: d.Sessions, tx: d.Tx, clock: d.Clock, events: newEventFactory(d)}
}

// ListUsers pages through accounts in creation order.
func (uc *AdminUsers) ListUsers(ctx context.Context, p inbound.Principal, q inbound.ListUsersQuery) (inbound.UserPage, error) {
	if err := requireAdmin(p); err != nil {
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
		EmailPrefix: strings.ToLower(strings.TrimSpace(q.EmailPrefix)), After: user.ID(after), Limit: limit + 1,
	})
	if err != nil {
		return inbound.UserPage{}, err
	}
	page := inbound.UserPage{Users: users}
	if len(users) > limit {
		page.Users = users[:limit]
		page.NextCursor = encodeCursor(string(page.Users[limit-1].ID()))
	}
	return page, nil
}

// GetUser returns one account.
func (uc *AdminUsers) GetUser(ctx context.Context, p inbound.Principal, id user.ID) (*user.User, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	return uc.users.Get(ctx, id)
}

// UpdateUser changes role, disabled and full name. An admin cannot demote or
// disable itself, so there is always someone left to undo a mistake.
// Disabling ends the user's sessions in the same transaction.
func (uc *AdminUsers) UpdateUser(ctx context.Context, p inbound.Principal, id user.ID, cmd inbound.UpdateUserCommand) (*user.User, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	change, err := parseUserChange(cmd)
	if err != nil {
		return nil, err
	}
	if id == p.User.ID() && ((change.role != nil && *change.role != user.RoleAdmin) || (change.disabled != nil && *change.disabled)) {
		return nil, inbound.ErrCannotModifySelf
	}
	now := uc.clock.Now()
	var updated *user.User
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		var events []audit.Event
		var err error
		updated, err = r.Users.Update(ctx, id, func(u *user.User) error {
			events = events[:0] // fn runs once per attempt; keep only the last
			change.apply(u, now, func(t audit.Type, detail map[string]string) {
				detail["actor"] = string(p.User.ID())
				events = append(events, uc.events.new(t, id, "", p.Client, detail))
			})
			return nil
		})
		if err != nil {
			return err
		}
		if change.disabled != nil && *change.disabled {
			if _, err := r.Sessions.RevokeAll(ctx, id, "", now, session.ReasonUserDisabled); err != nil {
				return err
			}
		}
		for _, e := range events {
			if err := r.Audit.Record(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	return updated, err
}

// DeleteUser removes an account and its sessions; an admin cannot delete
// itself. The audit event outlives the account.
func (uc *AdminUsers) DeleteUser(ctx context.Context, p inbound.Principal, id user.ID) error {
	if err := requireAdmin(p); err != nil {
		return err
	}
	if id == p.User.ID() {
		return inbound.ErrCannotModifySelf
	}
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		u, err := r.Users.Get(ctx, id)
		if err != nil {
			return err
		}
		if err := r.Users.Delete(ctx, id); err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.UserDeleted, id, "", p.Client,
			map[string]string{"actor": string(p.User.ID()), "email": u.Email().String()}))
	})
}

// ListUserSessions returns a user's active sessions, newest first.
func (uc *AdminUsers) ListUserSessions(ctx context.Context, p inbound.Principal, id user.ID) ([]*session.Session, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	if _, err := uc.users.Get(ctx, id); err != nil {
		return nil, err
	}
	return uc.sessions.ListActive(ctx, id, uc.clock.Now())
}

// RevokeUserSessions ends every session of a user.
func (uc *AdminUsers) RevokeUserSessions(ctx context.Context, p inbound.Principal, id user.ID) error {
	if err := requireAdmin(p); err != nil {
		return err
	}
	now := uc.clock.Now()
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		if _, err := r.Users.Get(ctx, id); err != nil {
			return err
		}
		n, err := r.Sessions.RevokeAll(ctx, id, "", now, session.ReasonAdmin)
		if err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.SessionRevoked, id, "", p.Client, map[string]string{
			"actor": string(p.User.ID()), "reason": string(session.ReasonAdmin), "count": strconv.Itoa(n),
		}))
	})
}
