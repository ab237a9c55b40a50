// Package application holds the use cases of authd, one file each. A use
// case is a struct built from outbound ports, with one method that takes a
// command and returns a result; it owns the transaction, the meaning of
// errors and the authorisation decision. Nothing here imports a framework.
package application

import (
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// Settings are the tunable rules the use cases apply.
type Settings struct {
	Sessions           session.Policy
	MaxSessionsPerUser int
	PasswordPolicy     user.PasswordPolicy
	// Lockout is the per-email budget of failed logins; a zero Limit turns
	// the lockout off.
	Lockout outbound.Quota
	// AuditRetention is how long audit events are kept.
	AuditRetention time.Duration
}

// Deps are every port the use cases draw from. Each constructor takes what
// it needs from here, so wiring builds one Deps and every use case from it.
type Deps struct {
	Users         outbound.UserRepository
	Sessions      outbound.SessionRepository
	Principals    outbound.PrincipalLookup
	Tx            outbound.Transactor
	Hasher        outbound.PasswordHasher
	AccessTokens  outbound.AccessTokens
	RefreshTokens outbound.RefreshTokens
	Clock         outbound.Clock
	IDs           outbound.IDGenerator
	// Audit records events that happen outside any other write (a failed
	// login); events that go with a change are recorded through the
	// transaction's Repositories instead.
	Audit    outbound.AuditLog
	Limiter  outbound.RateLimiter
	Settings Settings
}
