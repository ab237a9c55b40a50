package user

import "github.com/authd/authd/domain/validation"

// Role is the closed set of authorisation roles.
type Role string

// The roles an account can hold. Signup always grants RoleUser.
const (
	RoleUser  Role = "user"
	RoleAdmin Role = "admin"
)

// ParseRole accepts exactly "user" or "admin".
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case RoleUser, RoleAdmin:
		return Role(s), nil
	}
	return "", validation.Invalid("role", `must be "user" or "admin"`)
}

// String returns the wire form of the role.
func (r Role) String() string { return string(r) }

// IsAdmin reports whether r grants the admin API.
func (r Role) IsAdmin() bool { return r == RoleAdmin }
