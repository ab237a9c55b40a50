package contract

import (
	"bytes"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/ports/outbound"
)

// RunOutbox checks outbound.Outbox and its sweeper.
func RunOutbox(t *testing.T, newStores NewStores) {
	runAll(t, newStores, []test{
		{"EnqueueThenClaimKeepsEveryField", outboxRoundTrip},
		{"AClaimHidesAMessageUntilItsLeaseEnds", outboxLease},
		{"AMessageEnqueuedClaimedIsTheCallersUntilItsLeaseEnds", outboxEnqueueClaimed},
		{"ClaimTakesTheOldestDueFirstUpToTheLimit", outboxOrder},
		{"SettleRecordsOnlyTheLatestClaim", outboxSettle},
		{"AMessageWithNoAttemptLeftFailsInsteadOfBeingClaimed", outboxExhausted},
		{"ConcurrentClaimsNeverShareAMessage", outboxClaimRace},
		{"StatsCountPendingAndFailed", outboxStats},
		{"SweeperDeletesSentMessagesOnlyInBatches", outboxSweep},
	})
}

const lease = 5 * time.Minute

// message is a new outbox message to the address, created at at.
func (f *fixture) message(to string, at time.Time) outbound.OutboxMessage {
	return outbound.OutboxMessage{
		ID: f.id(), Purpose: outbound.MailResetPassword, To: to,
		// Sealed payloads are binary: every byte value must survive.
		Payload:   []byte{0x00, 0xff, 0x7f, 0x80, 'a', 0x00},
		CreatedAt: at,
	}
}

func (f *fixture) enqueue(at time.Time) outbound.OutboxMessage {
	f.Helper()
	m := f.message("ada@example.com", at)
	f.must(f.Outbox.Enqueue(f.ctx, m))
	return m
}

func (f *fixture) claim(now time.Time, limit int) []outbound.OutboxMessage {
	f.Helper()
	got, err := f.Outbox.Claim(f.ctx, outbound.OutboxClaim{Now: now, LeaseUntil: now.Add(lease), MaxAttempts: 3, Limit: limit})
	f.must(err)
	return got
}

func (f *fixture) claimAll(now time.Time) []outbound.OutboxMessage { return f.claim(now, 1000) }

func ids(ms []outbound.OutboxMessage) []ident.UUID {
	out := make([]ident.UUID, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func outboxRoundTrip(f *fixture) {
	want := f.enqueue(t0)
	got := f.claimAll(t0)
	if len(got) != 1 {
		f.Fatalf("claimed %d messages, want 1", len(got))
	}
	g := got[0]
	if g.ID != want.ID || g.Purpose != want.Purpose || g.To != want.To || !bytes.Equal(g.Payload, want.Payload) ||
		!toMicros(g.CreatedAt).Equal(toMicros(want.CreatedAt)) || g.Attempt != 1 {
		f.Fatalf("claimed %+v, want %+v with attempt 1", g, want)
	}
}

func outboxLease(f *fixture) {
	m := f.enqueue(t0)
	if got := f.claimAll(t0); len(got) != 1 {
		f.Fatalf("first claim took %d", len(got))
	}
	if got := f.claimAll(t0.Add(lease - time.Second)); len(got) != 0 {
		f.Fatalf("a claimed message was claimed again within its lease")
	}
	// The claimer died: at the end of the lease the message is due again.
	again := f.claimAll(t0.Add(lease))
	if len(again) != 1 || again[0].ID != m.ID || again[0].Attempt != 2 {
		f.Fatalf("after the lease: %+v, want the message at attempt 2", again)
	}
}

func outboxEnqueueClaimed(f *fixture) {
	mine := f.message("ada@example.com", t0)
	f.must(f.Outbox.EnqueueClaimed(f.ctx, mine, t0.Add(lease)))
	dead := f.message("bob@example.com", t0)
	f.must(f.Outbox.EnqueueClaimed(f.ctx, dead, t0.Add(lease)))
	if got := f.claimAll(t0.Add(lease - time.Second)); len(got) != 0 {
		f.Fatalf("a message enqueued claimed was claimed within its lease: %v", ids(got))
	}
	// Its enqueuer settles it as attempt 1.
	f.must(f.Outbox.Settle(f.ctx, mine.ID, 1, outbound.Settlement{Status: outbound.OutboxSent, At: t0.Add(time.Second)}))
	// The other's enqueuer died: at the end of the lease it is due, at attempt 2.
	got := f.claimAll(t0.Add(lease))
	if len(got) != 1 || got[0].ID != dead.ID || got[0].Attempt != 2 {
		f.Fatalf("after the lease: %+v, want only the unsettled message at attempt 2", got)
	}
}

func outboxOrder(f *fixture) {
	late := f.enqueue(t0.Add(2 * time.Second))
	early := f.enqueue(t0)
	mid := f.enqueue(t0.Add(time.Second))
	future := f.enqueue(t0.Add(time.Hour))
	got := f.claim(t0.Add(time.Minute), 2)
	if !slices.Equal(ids(got), []ident.UUID{early.ID, mid.ID}) {
		f.Fatalf("claimed %v, want the two oldest due", ids(got))
	}
	got = f.claim(t0.Add(time.Minute), 10)
	if !slices.Equal(ids(got), []ident.UUID{late.ID}) {
		f.Fatalf("second claim %v, want only the one left due (not the future one)", ids(got))
	}
	for _, m := range []outbound.OutboxMessage{early, mid, late} {
		f.must(f.Outbox.Settle(f.ctx, m.ID, 1, outbound.Settlement{Status: outbound.OutboxSent, At: t0.Add(time.Minute)}))
	}
	if got := f.claim(t0.Add(time.Hour), 10); !slices.Equal(ids(got), []ident.UUID{future.ID}) {
		f.Fatalf("at its time: %v", ids(got))
	}
}

func outboxSettle(f *fixture) {
	sent, retried, failed := f.enqueue(t0), f.enqueue(t0), f.enqueue(t0)
	f.claimAll(t0)
	f.must(f.Outbox.Settle(f.ctx, sent.ID, 1, outbound.Settlement{Status: outbound.OutboxSent, At: t0.Add(time.Second)}))
	f.must(f.Outbox.Settle(f.ctx, retried.ID, 1, outbound.Settlement{Status: outbound.OutboxPending, At: t0.Add(time.Minute), Error: "421 try later"}))
	f.must(f.Outbox.Settle(f.ctx, failed.ID, 1, outbound.Settlement{Status: outbound.OutboxFailed, At: t0.Add(time.Second), Error: "550 no such user"}))

	// Only the retried message comes back, at its time, with its next attempt.
	if got := f.claimAll(t0.Add(time.Minute - time.Second)); len(got) != 0 {
		f.Fatalf("claimed %v before the retry time", ids(got))
	}
	got := f.claimAll(t0.Add(time.Minute))
	if len(got) != 1 || got[0].ID != retried.ID || got[0].Attempt != 2 {
		f.Fatalf("claimed %+v, want the retried message at attempt 2", got)
	}
	// A stale claim (attempt 1) settles nothing: the message stays claimed.
	f.must(f.Outbox.Settle(f.ctx, retried.ID, 1, outbound.Settlement{Status: outbound.OutboxSent, At: t0}))
	if got := f.claimAll(t0.Add(time.Minute + lease)); len(got) != 1 || got[0].Attempt != 3 {
		f.Fatalf("after a stale settlement: %+v, want the message claimable again at attempt 3", got)
	}
	// Settling a settled or unknown message changes nothing and is no error.
	f.must(f.Outbox.Settle(f.ctx, sent.ID, 1, outbound.Settlement{Status: outbound.OutboxPending, At: t0}))
	f.must(f.Outbox.Settle(f.ctx, f.id(), 1, outbound.Settlement{Status: outbound.OutboxSent, At: t0}))
	stats, err := f.Outbox.Stats(f.ctx)
	f.must(err)
	if stats.Failed != 1 || stats.Pending != 1 {
		f.Fatalf("stats %+v, want 1 failed and 1 pending", stats)
	}
}

func outboxExhausted(f *fixture) {
	f.enqueue(t0)
	now := t0
	for attempt := 1; attempt <= 3; attempt++ {
		got := f.claimAll(now)
		if len(got) != 1 || got[0].Attempt != attempt {
			f.Fatalf("claim %d: %+v", attempt, got)
		}
		now = now.Add(lease) // each claimer dies
	}
	// Its third and last claimer died: it may have been sent, so it is
	// not sent again but kept as failed.
	if got := f.claimAll(now); len(got) != 0 {
		f.Fatalf("a message past MaxAttempts was claimed: %+v", got)
	}
	stats, err := f.Outbox.Stats(f.ctx)
	f.must(err)
	if stats.Failed != 1 || stats.Pending != 0 {
		f.Fatalf("stats %+v, want the message failed", stats)
	}
}

func outboxClaimRace(f *fixture) {
	const messages, workers = 60, 6
	for range messages {
		f.enqueue(t0)
	}
	var mu sync.Mutex
	seen := map[ident.UUID]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				got, err := f.Outbox.Claim(f.ctx, outbound.OutboxClaim{Now: t0, LeaseUntil: t0.Add(lease), MaxAttempts: 3, Limit: 4})
				if err != nil {
					f.Errorf("Claim: %v", err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, m := range got {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != messages {
		f.Fatalf("%d messages claimed, want %d", len(seen), messages)
	}
	for id, n := range seen {
		if n != 1 {
			f.Fatalf("message %s was claimed %d times", id, n)
		}
	}
}

func outboxStats(f *fixture) {
	stats, err := f.Outbox.Stats(f.ctx)
	f.must(err)
	if stats != (outbound.OutboxStats{}) {
		f.Fatalf("empty outbox: %+v", stats)
	}
	f.enqueue(t0.Add(time.Minute))
	oldest := f.enqueue(t0)
	sent := f.enqueue(t0.Add(-time.Hour))
	f.claimAll(t0.Add(-time.Hour))
	f.must(f.Outbox.Settle(f.ctx, sent.ID, 1, outbound.Settlement{Status: outbound.OutboxSent, At: t0}))
	stats, err = f.Outbox.Stats(f.ctx)
	f.must(err)
	if stats.Pending != 2 || stats.Failed != 0 || !toMicros(stats.OldestPending).Equal(toMicros(oldest.CreatedAt)) {
		f.Fatalf("stats %+v, want 2 pending, the oldest enqueued at %v", stats, oldest.CreatedAt)
	}
}

func outboxSweep(f *fixture) {
	var sent []outbound.OutboxMessage
	for range 5 {
		sent = append(sent, f.enqueue(t0))
	}
	failed, pending := f.enqueue(t0), f.enqueue(t0)
	f.claimAll(t0)
	for _, m := range sent {
		f.must(f.Outbox.Settle(f.ctx, m.ID, 1, outbound.Settlement{Status: outbound.OutboxSent, At: t0.Add(time.Second)}))
	}
	f.must(f.Outbox.Settle(f.ctx, failed.ID, 1, outbound.Settlement{Status: outbound.OutboxFailed, At: t0.Add(time.Second)}))
	f.must(f.Outbox.Settle(f.ctx, pending.ID, 1, outbound.Settlement{Status: outbound.OutboxPending, At: t0.Add(time.Hour)}))

	if f.OutboxSweeper.Name() == "" {
		f.Fatal("the sweeper has no name")
	}
	now := t0.Add(time.Minute)
	n, err := f.OutboxSweeper.Sweep(f.ctx, now, 3)
	f.must(err)
	m, err := f.OutboxSweeper.Sweep(f.ctx, now, 3)
	f.must(err)
	z, err := f.OutboxSweeper.Sweep(f.ctx, now, 3)
	f.must(err)
	if n != 3 || m != 2 || z != 0 {
		f.Fatalf("sweeps deleted %d, %d, %d; want 3, 2, 0", n, m, z)
	}
	stats, err := f.Outbox.Stats(f.ctx)
	f.must(err)
	if stats.Pending != 1 || stats.Failed != 1 {
		f.Fatalf("after the sweep: %+v, want the failed and the pending message kept", stats)
	}
}
