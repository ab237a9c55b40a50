package application

import (
	"context"
	"strconv"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ChangePassword replaces the caller's password and ends their other
// sessions, keeping the one the change was made from.
type ChangePassword struct {
	tx       outbound.Transactor
	hasher   outbound.PasswordHasher
	clock    outbound.Clock
	events   eventFactory
	settings Settings
}

var _ inbound.ChangePassword = (*ChangePassword)(nil)

// NewChangePassword builds the use case.
func NewChangePassword(d Deps) *ChangePassword {
	return &ChangePassword{tx: d.Tx, hasher: d.Hasher, clock: d.Clock, events: newEventFactory(d), settings: d.Settings}
}

// ChangePassword checks the new password's policy first (cheap), then the
// current password (one hash), then stores the new hash and revokes the
// other sessions in one transaction.
func (uc *ChangePassword) ChangePassword(ctx context.Context, p inbound.Principal, cmd inbound.ChangePasswordCommand) error {
	problems := &user.ValidationError{}
	if cmd.CurrentPassword == "" {
		problems.Add("currentPassword", "is required")
	}
	current, err := user.PasswordAttempt(cmd.CurrentPassword)
	if err != nil {
		problems.Add("currentPassword", "must be at most 128 characters")
	}
	next, err := user.NewPassword(cmd.NewPassword, uc.settings.PasswordPolicy, p.User.Email())
	if err != nil {
		for _, f := range asFields(err) {
			problems.Add("newPassword", f.Message)
		}
	}
	if err := problems.OrNil(); err != nil {
		return err
	}
	match, _, err := uc.hasher.Verify(ctx, current, p.User.PasswordHash())
	if err != nil {
		return hasherError(err)
	}
	if !match {
		return inbound.ErrInvalidCredentials
	}
	hash, err := uc.hasher.Hash(ctx, next)
	if err != nil {
		return hasherError(err)
	}
	now := uc.clock.Now()
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		if _, err := r.Users.Update(ctx, p.User.ID(), func(u *user.User) error {
			u.ChangePasswordHash(hash, now)
			return nil
		}); err != nil {
			return err
		}
		n, err := r.Sessions.RevokeAll(ctx, p.User.ID(), p.SessionID, now, session.ReasonPasswordChange)
		if err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.PasswordChanged, p.User.ID(), p.SessionID, p.Client,
			map[string]string{"sessionsRevoked": strconv.Itoa(n)}))
	})
}

// asFields returns the field errors of a validation error, or one generic
// entry for anything else.
func asFields(err error) []user.FieldError {
	ve := &user.ValidationError{}
	if ve.Merge(err) {
		return ve.Fields
	}
	return []user.FieldError{{Message: "is invalid"}}
}
