package application

import (
	"strconv"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
)

// userChange is a validated UpdateUserCommand.
type userChange struct {
	role     *user.Role
	disabled *bool
	fullName *user.FullName
}

func parseUserChange(cmd inbound.UpdateUserCommand) (userChange, error) {
	problems := &validation.Error{}
	var c userChange
	if cmd.Role != nil {
		r, err := user.ParseRole(*cmd.Role)
		problems.Merge(err)
		c.role = &r
	}
	if cmd.FullName != nil {
		n, err := user.ParseFullName(*cmd.FullName)
		problems.Merge(err)
		c.fullName = &n
	}
	c.disabled = cmd.Disabled
	return c, problems.OrNil()
}

// demotesOrDisables reports whether the change would take the admin role
// away or disable the account: what an admin may not do to itself.
func (c userChange) demotesOrDisables() bool {
	return (c.role != nil && *c.role != user.RoleAdmin) || c.disables()
}

// disables reports whether the change disables the account.
func (c userChange) disables() bool { return c.disabled != nil && *c.disabled }

// apply changes u and reports an audit event for each change of role or
// disabled state (a rename is not a security event).
func (c userChange) apply(u *user.User, now time.Time, record func(audit.Type, map[string]string)) {
	if c.role != nil && *c.role != u.Role() {
		record(audit.RoleChanged, map[string]string{"from": string(u.Role()), "to": string(*c.role)})
		u.ChangeRole(*c.role, now)
	}
	if c.disabled != nil && *c.disabled != u.Disabled() {
		record(audit.UserDisabled, map[string]string{"disabled": strconv.FormatBool(*c.disabled)})
		u.SetDisabled(*c.disabled, now)
	}
	if c.fullName != nil {
		u.Rename(*c.fullName, now)
	}
}
