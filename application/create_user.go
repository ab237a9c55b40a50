package application

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// CreateUser makes an account with an explicit role for the operator.
type CreateUser struct {
	users    outbound.UserRepository
	hasher   outbound.PasswordHasher
	clock    outbound.Clock
	ids      outbound.IDGenerator
	password user.PasswordPolicy
	emails   outbound.EmailNormalizer
}

var _ inbound.CreateUser = (*CreateUser)(nil)

// NewCreateUser builds the use case.
func NewCreateUser(users outbound.UserRepository, hasher outbound.PasswordHasher, clock outbound.Clock,
	ids outbound.IDGenerator, password user.PasswordPolicy, emails outbound.EmailNormalizer) *CreateUser {
	return &CreateUser{users: users, hasher: hasher, clock: clock, ids: ids, password: password, emails: emails}
}

// Handle applies the signup input rules and password policy, then adds the
// account with the requested role and its address verified.
func (uc *CreateUser) Handle(ctx context.Context, cmd inbound.CreateUserCommand) (*user.User, error) {
	problems := &validation.Error{}
	email, err := parseEmail(uc.emails, cmd.Email)
	problems.Merge(err)
	name, err := user.ParseFullName(cmd.FullName)
	problems.Merge(err)
	role, err := user.ParseRole(cmd.Role)
	problems.Merge(err)
	password, err := user.NewPassword(cmd.Password, uc.password, email)
	problems.Merge(err)
	if err := problems.OrNil(); err != nil {
		return nil, err
	}
	switch _, err := uc.users.FindByEmail(ctx, email); {
	case err == nil:
		return nil, user.ErrEmailTaken
	case !errors.Is(err, user.ErrNotFound):
		return nil, err
	}
	hash, err := uc.hasher.Hash(ctx, password)
	if err != nil {
		return nil, hashFailed(err)
	}
	now := uc.clock.Now()
	u, err := user.Create(user.ID(uc.ids.NewID()), email, name, role, hash, now)
	if err != nil {
		return nil, err
	}
	// The operator vouches for the address: with verification required,
	// the first administrator must be able to sign in.
	u.VerifyEmail(email, now)
	if err := uc.users.Add(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}
