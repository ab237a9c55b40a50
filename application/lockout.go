package application

import (
	"context"
	"time"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// lockout counts failed password checks per normalised email, whatever the
// IP and whether or not the account exists, so the lockout reveals nothing.
// Failed logins and wrong current passwords on a password change count
// against the same budget. A success resets nothing: otherwise an attacker
// holding one account could clear the counter that protects another IP's
// target. The counts live in storage shared by every instance (the
// LoginFailures port), not in the rate limiter, so they survive restarts
// and a Redis outage.
type lockout struct {
	failures outbound.LoginFailures
	clock    outbound.Clock
	rules    LockoutRules
}

func newLockout(failures outbound.LoginFailures, clock outbound.Clock, rules LockoutRules) lockout {
	return lockout{failures: failures, clock: clock, rules: rules}
}

func (l lockout) on() bool { return l.failures != nil && l.rules.MaxFailures > 0 }

func (l lockout) key(email user.Email) string { return "email:" + email.String() }

// check refuses an email whose failure budget is spent until its window
// ends. A store that cannot answer fails the request (closed), never lets
// it through unchecked.
func (l lockout) check(ctx context.Context, email user.Email) error {
	if !l.on() {
		return nil
	}
	now := l.clock.Now()
	w, err := l.failures.Window(ctx, l.key(email), now)
	if err != nil {
		return err
	}
	if w.Failures >= l.rules.MaxFailures {
		return &inbound.RetryAfterError{Err: inbound.ErrTooManyAttempts, RetryAfter: max(w.Ends.Sub(now), time.Second)}
	}
	return nil
}

// fail counts one failed attempt.
func (l lockout) fail(ctx context.Context, email user.Email) error {
	if !l.on() {
		return nil
	}
	_, err := l.failures.Fail(ctx, l.key(email), l.clock.Now(), l.rules.Window)
	return err
}
