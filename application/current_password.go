package application

import (
	"context"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// currentPassword checks the password a signed-in user types to confirm a
// sensitive change (a new password, a new email). A stolen access token
// must not make it an unthrottled password oracle, so a wrong one counts
// against the login lockout of the account's email, and a locked email is
// refused before any hash. An account without a password (one made by
// signing in with a provider) has nothing to match: the decoy hash makes
// that answer take as long as a wrong password.
type currentPassword struct {
	hasher  outbound.PasswordHasher
	lockout lockout
	decoy   *decoyHash
}

func newCurrentPassword(hasher outbound.PasswordHasher, failures outbound.LoginFailures, clock outbound.Clock, rules LockoutRules) currentPassword {
	return currentPassword{hasher: hasher, lockout: newLockout(failures, clock, rules), decoy: &decoyHash{}}
}

// verify answers nil when attempt is u's password, inbound.ErrInvalidCredentials
// when it is not (and counts the failure), a RetryAfterError wrapping
// inbound.ErrTooManyAttempts while the email is locked.
func (c currentPassword) verify(ctx context.Context, u *user.User, attempt user.Password) error {
	if err := c.lockout.check(ctx, u.Email()); err != nil {
		return err
	}
	match := false
	if u.HasPassword() {
		var err error
		if match, _, err = c.hasher.Verify(ctx, attempt, u.PasswordHash()); err != nil {
			return hashFailed(err)
		}
	} else if err := c.decoy.verify(ctx, c.hasher, attempt); err != nil {
		return err
	}
	if match {
		return nil
	}
	if err := c.lockout.fail(ctx, u.Email()); err != nil {
		return err
	}
	return inbound.ErrInvalidCredentials
}
