package argon2id

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/authd/authd/ports/outbound"
)

// These tests never wait for time to pass to find out where a caller is:
// the hasher's derivation is held at a gate and its waiting hook reports
// queued callers, so each test knows which callers hold a slot and which
// wait for one.

// event is something a caller did: entered a derivation (it holds a slot)
// or queued for a slot (every slot was taken).
type event struct {
	entered bool
	at      time.Time
}

// gate holds the hasher's derivations until released, and reports events.
type gate struct {
	events   chan event
	release  chan struct{}
	inFlight atomic.Int32 // derivations running now
	peak     atomic.Int32 // the most that ever ran at once
}

// newGate installs a gate on h for up to callers callers.
func newGate(h *Hasher, callers int) *gate {
	g := &gate{
		events:  make(chan event, 2*callers), // at most queued then entered, each
		release: make(chan struct{}),
	}
	h.derive = func(pw, salt []byte, t, m uint32, p uint8, n uint32) []byte {
		cur := g.inFlight.Add(1)
		defer g.inFlight.Add(-1)
		for {
			old := g.peak.Load()
			if cur <= old || g.peak.CompareAndSwap(old, cur) {
				break
			}
		}
		g.events <- event{entered: true, at: time.Now()}
		<-g.release
		return argon2.IDKey(pw, salt, t, m, p, n)
	}
	h.waiting = func() { g.events <- event{at: time.Now()} }
	return g
}

// next returns the next event. It has no timeout of its own: a hasher
// that deadlocks or leaks a slot shows here as a test that runs into go
// test's -timeout, whose goroutine dump shows where each caller stands.
func (g *gate) next() event { return <-g.events }

// releaseOne lets one held derivation finish.
func (g *gate) releaseOne() { g.release <- struct{}{} }

// open lets every held and later derivation finish.
func (g *gate) open() { close(g.release) }

// holdSlots takes every slot of h with a Hash held at the gate, and
// returns once all of them hold one; open the gate to let them finish,
// then wait for them.
func holdSlots(t *testing.T, h *Hasher, g *gate) (wait func()) {
	t.Helper()
	var wg sync.WaitGroup
	for range cap(h.slots) {
		wg.Go(func() {
			if _, err := h.Hash(context.Background(), password(t, "holder")); err != nil {
				t.Errorf("holder: %v", err)
			}
		})
	}
	for range cap(h.slots) {
		if e := g.next(); !e.entered {
			t.Fatal("a holder queued with slots free")
		}
	}
	return wg.Wait
}

func TestConcurrencyBoundRespected(t *testing.T) {
	const limit, callers = 3, 12
	h := newHasher(t, small, limit, 0)
	stored, err := h.Hash(ctx, password(t, "pw")) // before the gate: derived at once
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(h, callers)

	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			if i%2 == 0 {
				if _, err := h.Hash(ctx, password(t, "pw")); err != nil {
					t.Error(err)
				}
				return
			}
			if match, _, err := h.Verify(ctx, password(t, "pw"), stored); err != nil || !match {
				t.Errorf("Verify = %v, %v", match, err)
			}
		})
	}

	// No derivation can finish before the gate lets it, so each caller
	// does exactly one thing first: takes a free slot, or queues.
	entered := 0
	for range callers {
		if g.next().entered {
			entered++
		}
	}
	if entered != limit {
		t.Fatalf("%d of %d callers hashing at once, want exactly the limit of %d, the rest queued", entered, callers, limit)
	}

	// Each derivation that finishes hands its slot to one queued caller.
	for i := range callers - limit {
		g.releaseOne()
		if !g.next().entered {
			t.Fatalf("release %d: a caller queued again instead of taking the freed slot", i+1)
		}
		if n := g.inFlight.Load(); n != limit {
			t.Fatalf("release %d: %d hashing, want the limit of %d", i+1, n, limit)
		}
	}
	for range limit {
		g.releaseOne()
	}
	wg.Wait()

	if got := g.peak.Load(); got != limit {
		t.Fatalf("at most %d hashing at once, want %d", got, limit)
	}
	if len(g.events) != 0 {
		t.Fatalf("%d events after every caller returned, want none", len(g.events))
	}
	if h.InFlight() != 0 {
		t.Fatalf("InFlight = %d after all returned, want 0 (slot leak)", h.InFlight())
	}
}

func TestOverloadedWhenQueueFullAndWaitShort(t *testing.T) {
	const maxWait = 20 * time.Millisecond
	h := newHasher(t, small, 2, maxWait)
	stored, err := h.Hash(ctx, password(t, "pw"))
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(h, 4)
	holders := holdSlots(t, h, g)

	for name, call := range map[string]func() error{
		"Hash": func() error { _, err := h.Hash(ctx, password(t, "pw")); return err },
		"Verify": func() error {
			_, _, err := h.Verify(ctx, password(t, "pw"), stored)
			return err
		},
	} {
		began := time.Now()
		done := make(chan error, 1)
		go func() { done <- call() }()
		if g.next().entered {
			t.Fatalf("%s hashed while every slot was held", name)
		}
		// The caller queued; now it is either refused or, wrongly, let in.
		select {
		case err := <-done:
			if !errors.Is(err, outbound.ErrOverloaded) {
				t.Fatalf("%s = %v, want ErrOverloaded", name, err)
			}
		case <-g.events:
			t.Fatalf("%s hashed, after waiting, with every slot still held", name)
		}
		// A lower bound only: the timer never fires early, however slow
		// the machine. It shows the caller waited its turn before giving up.
		if waited := time.Since(began); waited < maxWait {
			t.Fatalf("%s refused after %v, want a wait of maxWait (%v) first", name, waited, maxWait)
		}
	}
	if h.InFlight() != 2 {
		t.Fatalf("InFlight = %d, want the 2 holders only: a refused caller kept a slot", h.InFlight())
	}
	g.open()
	holders()
	if h.InFlight() != 0 {
		t.Fatalf("InFlight = %d after the holders returned, want 0", h.InFlight())
	}
}

func TestWaiterGetsSlotWhenOneFrees(t *testing.T) {
	h := newHasher(t, small, 1, time.Hour) // a wait that never runs out here
	var waits []time.Duration
	var mu sync.Mutex
	h.OnWait = func(d time.Duration) { mu.Lock(); waits = append(waits, d); mu.Unlock() }
	g := newGate(h, 2)
	holder := holdSlots(t, h, g)

	done := make(chan error, 1)
	go func() { _, err := h.Hash(ctx, password(t, "pw")); done <- err }()
	queued := g.next()
	if queued.entered {
		t.Fatal("the second caller hashed while the only slot was held")
	}
	released := time.Now()
	g.releaseOne()
	select {
	case err := <-done:
		t.Fatalf("queued Hash = %v before it took the freed slot, want it to wait for the slot", err)
	case e := <-g.events:
		if !e.entered {
			t.Fatal("the queued caller queued again instead of taking the freed slot")
		}
	}
	g.open()
	if err := <-done; err != nil {
		t.Fatalf("queued Hash = %v, want success once a slot freed", err)
	}
	holder()

	mu.Lock()
	defer mu.Unlock()
	if len(waits) != 2 {
		t.Fatalf("OnWait called %d times, want once each for the holder and the waiter", len(waits))
	}
	// The waiter queued at queued.at or after it started waiting, and got
	// its slot only after the release: its wait covers that stretch.
	if least := released.Sub(queued.at); waits[1] < least {
		t.Fatalf("OnWait reported a wait of %v for the queued caller, want at least %v (from queuing to the release)", waits[1], least)
	}
}

func TestContextCancellationWhileWaiting(t *testing.T) {
	h := newHasher(t, small, 1, 0) // no maxWait: only the context ends the wait
	g := newGate(h, 2)
	holder := holdSlots(t, h, g)

	c, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { _, err := h.Hash(c, password(t, "pw")); done <- err }()
	if g.next().entered {
		t.Fatal("the second caller hashed while the only slot was held")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Hash = %v, want context.Canceled", err)
	}
	if h.InFlight() != 1 {
		t.Fatalf("InFlight = %d, want the holder's slot only", h.InFlight())
	}
	g.open()
	holder()
}

func TestCanceledContextIsRefusedEvenWithFreeSlots(t *testing.T) {
	h := newHasher(t, small, 4, 0)
	c, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.Hash(c, password(t, "pw")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Hash = %v, want context.Canceled", err)
	}
	if h.InFlight() != 0 {
		t.Fatal("a canceled call kept a slot")
	}
}

func BenchmarkHashDefault(b *testing.B) {
	h, err := New(DefaultParams(), 1, 0)
	if err != nil {
		b.Fatal(err)
	}
	p := password(b, "correct horse battery staple")
	for b.Loop() {
		if _, err := h.Hash(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}
