package httpapi

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// mailRoutes are the unauthenticated endpoints that send mail; they share
// the "mail" per-IP quota.
var mailRoutes = []string{"/v1/auth/verify-email/send", "/v1/auth/password/forgot", "/v1/auth/email/confirm"}

// Quota names of the per-address mail limits.
const (
	quotaAddressBurst = "address_burst"
	quotaAddress      = "address"
)

// MailLimits bound how many mails of one purpose one address gets,
// whether or not it has an account (so the answers tell nothing): a short
// budget against bursts and a longer one, on top of the per-IP quotas.
// They stay on when the per-IP limits are off, as the login lockout does:
// they protect the owners of addresses, not the server.
type MailLimits struct {
	// Limiter counts; nil turns the limits off.
	Limiter outbound.RateLimiter
	// Emails puts an address into the normal form the use cases store, so
	// that every way of typing one mailbox spends one budget; nil counts
	// addresses as the domain parses them, without folding.
	Emails outbound.EmailNormalizer
	// Burst and Sustained are the two budgets (names may be left empty).
	Burst     outbound.Quota
	Sustained outbound.Quota
}

type mailLimits struct {
	limiter outbound.RateLimiter
	emails  outbound.EmailNormalizer
	quotas  []outbound.Quota
}

func newMailLimits(ml MailLimits) (*mailLimits, error) {
	if ml.Limiter == nil {
		return nil, nil
	}
	quotas := []outbound.Quota{ml.Burst, ml.Sustained}
	for i, name := range []string{quotaAddressBurst, quotaAddress} {
		if quotas[i].Name == "" {
			quotas[i].Name = name
		}
		if quotas[i].Name != name || quotas[i].Limit < 1 || quotas[i].Window < time.Second {
			return nil, fmt.Errorf("httpapi: the %s mail limit needs its name, a limit of at least 1 and a window of at least 1s", name)
		}
	}
	return &mailLimits{limiter: ml.Limiter, emails: ml.Emails, quotas: quotas}, nil
}

// address is the mailbox raw names, in the form the use cases store.
func (l *mailLimits) address(raw string) (user.Email, error) {
	if l.emails != nil {
		normal, err := l.emails.Normalize(raw)
		if err != nil {
			return user.Email{}, err
		}
		raw = normal
	}
	return user.ParseEmail(raw)
}

// limitAddress spends one mail of purpose to the address in raw, counted
// under its normalised form, and adds each budget's standing to the
// RateLimit-Policy and RateLimit fields (after the per-IP quota's). An
// address that does not parse is not counted: the use case refuses it.
// Once the short budget is spent the request is refused without spending
// the long one. A limiter error lets the request through, as for the
// per-IP quotas.
func (a *api) limitAddress(c *gin.Context, purpose string, raw *string) error {
	if a.mailLimits == nil || raw == nil {
		return nil
	}
	email, err := a.mailLimits.address(*raw)
	if err != nil {
		return nil
	}
	key := purpose + ":" + email.String()
	var refusal *inbound.RetryAfterError
	for _, q := range a.mailLimits.quotas {
		count := a.mailLimits.limiter.Hit
		if refusal != nil {
			count = a.mailLimits.limiter.Peek
		}
		usage, err := count(c.Request.Context(), q, q.Name+":"+key)
		if err != nil {
			a.log.Warn("mail limiter failed; request let through",
				zap.String("request_id", requestIDFrom(c.Request.Context())), zap.String("quota", q.Name), zap.Error(err))
			return nil
		}
		appendField(c, "RateLimit-Policy", strconv.Quote(q.Name)+";q="+strconv.Itoa(q.Limit)+";w="+ceilSeconds(q.Window))
		appendField(c, "RateLimit", strconv.Quote(q.Name)+";r="+strconv.Itoa(max(usage.Remaining, 0))+";t="+ceilSeconds(usage.ResetIn))
		if usage.Exceeded && (refusal == nil || usage.ResetIn > refusal.RetryAfter) {
			refusal = &inbound.RetryAfterError{Err: errRateLimited, RetryAfter: usage.ResetIn}
		}
	}
	if refusal != nil {
		return refusal
	}
	return nil
}

// appendField adds an item to a structured-field list header, keeping it
// one line so that a reader taking the first line sees every item.
func appendField(c *gin.Context, name, item string) {
	if prev := c.Writer.Header().Get(name); prev != "" {
		item = prev + ", " + item
	}
	c.Header(name, item)
}
