package application

import (
	"context"
	"time"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// lockout counts failed logins per normalised email, whatever the IP and
// whether or not the account exists, so the lockout reveals nothing. A
// successful login resets nothing: otherwise an attacker holding one
// account could clear the counter that protects another IP's target.
type lockout struct {
	limiter outbound.RateLimiter
	quota   outbound.Quota
}

func newLockout(limiter outbound.RateLimiter, rules LockoutRules) lockout {
	return lockout{limiter: limiter, quota: outbound.Quota{Name: "lockout", Limit: rules.MaxFailures, Window: rules.Window}}
}

func (l lockout) key(email user.Email) string { return "email:" + email.String() }

// check refuses an email whose failure budget is spent until its window ends.
func (l lockout) check(ctx context.Context, email user.Email) error {
	if l.limiter == nil || l.quota.Limit <= 0 {
		return nil
	}
	usage, err := l.limiter.Peek(ctx, l.quota, l.key(email))
	if err != nil {
		return err
	}
	if usage.Exceeded {
		return &inbound.RetryAfterError{Err: inbound.ErrTooManyAttempts, RetryAfter: max(usage.ResetIn, time.Second)}
	}
	return nil
}

// fail counts one failed attempt.
func (l lockout) fail(ctx context.Context, email user.Email) error {
	if l.limiter == nil || l.quota.Limit <= 0 {
		return nil
	}
	_, err := l.limiter.Hit(ctx, l.quota, l.key(email))
	return err
}
