package application

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"unicode/utf8"

	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// maxErrorLength bounds the failure reason kept with a message.
const maxErrorLength = 300

// DeliverMail is one round of the background sender: claim due messages
// from the outbox, send them, settle each. Claims are exclusive across
// instances, so each message goes to one sender at a time; a sender that
// dies leaves its messages to be claimed again once their lease ends.
type DeliverMail struct {
	outbox   outbound.Outbox
	sealer   outbound.Sealer
	renderer outbound.MailRenderer
	mailer   outbound.Mailer
	clock    outbound.Clock
	observer outbound.MailObserver
	requests *MailRequests
	rules    DeliveryRules
}

var _ inbound.DeliverMail = (*DeliverMail)(nil)

// NewDeliverMail builds the use case; requests fulfils the requests for
// mail the outbox also carries.
func NewDeliverMail(outbox outbound.Outbox, sealer outbound.Sealer, renderer outbound.MailRenderer, mailer outbound.Mailer,
	clock outbound.Clock, observer outbound.MailObserver, requests *MailRequests, rules DeliveryRules) *DeliverMail {
	rules.Batch, rules.Concurrency, rules.MaxAttempts = max(rules.Batch, 1), max(rules.Concurrency, 1), max(rules.MaxAttempts, 1)
	return &DeliverMail{
		outbox: outbox, sealer: sealer, renderer: renderer, mailer: mailer, clock: clock, observer: observer,
		requests: requests, rules: rules,
	}
}

// Handle claims one batch and sends it, a few messages at a time, and
// answers how many it claimed. It fails only when the outbox does; each
// message's own outcome goes to the observer and into the outbox.
func (uc *DeliverMail) Handle(ctx context.Context, _ inbound.DeliverMailCommand) (int, error) {
	now := uc.clock.Now()
	batch, err := uc.outbox.Claim(ctx, outbound.OutboxClaim{
		Now: now, LeaseUntil: now.Add(uc.rules.lease()), MaxAttempts: uc.rules.MaxAttempts, Limit: uc.rules.Batch,
	})
	if err != nil {
		return 0, err
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		slots    = make(chan struct{}, uc.rules.Concurrency)
	)
	for _, m := range batch {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := uc.deliver(ctx, m); err != nil {
				mu.Lock()
				firstErr = cmpErr(firstErr, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return len(batch), firstErr
}

func cmpErr(first, next error) error {
	if first != nil {
		return first
	}
	return next
}

// deliver sends one message and settles it: sent; failed for good (the
// server refused it permanently, it cannot be opened, or it was its last
// attempt); or due again after a backoff. A send cut short by shutdown
// hands the message back at once.
func (uc *DeliverMail) deliver(ctx context.Context, m outbound.OutboxMessage) error {
	var sendErr error
	if m.Purpose.IsRequest() {
		mail, err := uc.fulfil(ctx, m)
		if err == nil {
			// The request is settled in the fulfilment's own unit of work;
			// the mail it queued is this sender's to send, now.
			if mail != nil {
				return uc.deliver(ctx, *mail)
			}
			return nil
		}
		sendErr = err
	} else {
		sendErr = uc.send(ctx, m)
	}
	now := uc.clock.Now()
	var s outbound.Settlement
	switch {
	case sendErr == nil:
		s = outbound.Settlement{Status: outbound.OutboxSent, At: now}
		uc.observer.MailSent(m.Purpose, m.Attempt, now.Sub(m.CreatedAt))
	case ctx.Err() != nil:
		s = outbound.Settlement{Status: outbound.OutboxPending, At: now, Error: "interrupted by shutdown"}
	case errors.Is(sendErr, errUnopenable), errors.Is(sendErr, errBadRequest), errors.Is(sendErr, outbound.ErrMailRejected),
		m.Attempt >= uc.rules.MaxAttempts:
		s = outbound.Settlement{Status: outbound.OutboxFailed, At: now, Error: reason(sendErr)}
		uc.observer.MailFailed(m.Purpose, m.Attempt, sendErr)
	default:
		s = outbound.Settlement{Status: outbound.OutboxPending, At: now.Add(uc.rules.backoff(m.Attempt)), Error: reason(sendErr)}
		uc.observer.MailDeferred(m.Purpose, m.Attempt, sendErr)
	}
	// Settle even when ctx has ended, so a shutdown does not leave the
	// message hidden until its lease runs out.
	settleCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), uc.rules.SendTimeout)
	defer cancel()
	return uc.outbox.Settle(settleCtx, m.ID, m.Attempt, s)
}

// errUnopenable means a payload cannot be opened (the key changed, or the
// row was altered): no attempt can ever succeed.
var errUnopenable = errors.New("the message content cannot be opened")

// fulfil opens a request for mail and hands it to the fulfilment.
func (uc *DeliverMail) fulfil(ctx context.Context, m outbound.OutboxMessage) (*outbound.OutboxMessage, error) {
	plain, err := uc.sealer.Open(m.Payload)
	if err != nil {
		return nil, errUnopenable
	}
	return uc.requests.fulfil(ctx, m, plain, uc.clock.Now().Add(uc.rules.lease()))
}

func (uc *DeliverMail) send(ctx context.Context, m outbound.OutboxMessage) error {
	plain, err := uc.sealer.Open(m.Payload)
	if err != nil {
		return errUnopenable
	}
	var content outbound.MailContent
	if err := json.Unmarshal(plain, &content); err != nil {
		return errUnopenable
	}
	rendered, err := uc.renderer.Render(m.Purpose, m.To, content)
	if err != nil {
		return fmt.Errorf("render %s mail: %w", m.Purpose, err)
	}
	sendCtx, cancel := context.WithTimeout(ctx, uc.rules.SendTimeout)
	defer cancel()
	return uc.mailer.Send(sendCtx, outbound.Mail{
		MessageID: m.ID.String(), To: m.To, Purpose: m.Purpose, Content: content, Rendered: rendered,
	})
}

// reason is the failure kept with a message: the error's text, bounded. It
// never holds the content: only the mailer's and the renderer's words.
func reason(err error) string {
	s := err.Error()
	if len(s) <= maxErrorLength {
		return s
	}
	cut := maxErrorLength
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
