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

// countInFlight wraps the hasher's key derivation to record the largest
// number of derivations running at once.
func countInFlight(h *Hasher) (peak *atomic.Int32) {
	var now atomic.Int32
	peak = new(atomic.Int32)
	h.derive = func(pw, salt []byte, t, m uint32, p uint8, n uint32) []byte {
		cur := now.Add(1)
		defer now.Add(-1)
		for {
			old := peak.Load()
			if cur <= old || peak.CompareAndSwap(old, cur) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond) // widen the window for overlap
		return argon2.IDKey(pw, salt, t, m, p, n)
	}
	return peak
}

// holdSlots fills every slot with a derivation that blocks until the
// returned function is called.
func holdSlots(t *testing.T, h *Hasher) (releaseAll func()) {
	t.Helper()
	gate := make(chan struct{})
	h.derive = func(pw, salt []byte, tt, m uint32, p uint8, n uint32) []byte {
		<-gate
		return argon2.IDKey(pw, salt, tt, m, p, n)
	}
	var wg sync.WaitGroup
	for range cap(h.slots) {
		wg.Go(func() { _, _ = h.Hash(context.Background(), password(t, "holder")) })
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.InFlight() < cap(h.slots) {
		if time.Now().After(deadline) {
			t.Fatal("holders did not take the slots")
		}
		time.Sleep(time.Millisecond)
	}
	return func() { close(gate); wg.Wait() }
}

func TestConcurrencyBoundRespected(t *testing.T) {
	const limit = 3
	h := newHasher(t, small, limit, 0)
	peak := countInFlight(h)
	hash, _ := h.Hash(ctx, password(t, "pw"))

	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if i%2 == 0 {
				_, err := h.Hash(ctx, password(t, "pw"))
				if err != nil {
					t.Error(err)
				}
				return
			}
			if match, _, err := h.Verify(ctx, password(t, "pw"), hash); err != nil || !match {
				t.Errorf("Verify = %v, %v", match, err)
			}
		})
	}
	wg.Wait()
	if got := peak.Load(); got > limit || got < 2 {
		t.Fatalf("peak in-flight = %d, want at most %d (and some overlap)", got, limit)
	}
	if h.InFlight() != 0 {
		t.Fatalf("InFlight = %d after all returned, want 0 (slot leak)", h.InFlight())
	}
}

func TestOverloadedWhenQueueFullAndWaitShort(t *testing.T) {
	h := newHasher(t, small, 2, 20*time.Millisecond)
	release := holdSlots(t, h)
	defer release()

	began := time.Now()
	_, err := h.Hash(ctx, password(t, "pw"))
	if !errors.Is(err, outbound.ErrOverloaded) {
		t.Fatalf("Hash = %v, want ErrOverloaded", err)
	}
	if waited := time.Since(began); waited < 20*time.Millisecond || waited > 2*time.Second {
		t.Fatalf("waited %v, want about maxWait", waited)
	}
	if _, _, err := h.Verify(ctx, password(t, "pw"), mustHash(t, "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")); !errors.Is(err, outbound.ErrOverloaded) {
		t.Fatalf("Verify = %v, want ErrOverloaded", err)
	}
}

func TestWaiterGetsSlotWhenOneFrees(t *testing.T) {
	h := newHasher(t, small, 1, 5*time.Second)
	var waits []time.Duration
	var mu sync.Mutex
	h.OnWait = func(d time.Duration) { mu.Lock(); waits = append(waits, d); mu.Unlock() }
	release := holdSlots(t, h)

	done := make(chan error, 1)
	go func() { _, err := h.Hash(ctx, password(t, "pw")); done <- err }()
	time.Sleep(30 * time.Millisecond)
	release()
	if err := <-done; err != nil {
		t.Fatalf("queued Hash = %v, want success once a slot freed", err)
	}
	mu.Lock()
	defer mu.Unlock()
	var longest time.Duration
	for _, w := range waits {
		longest = max(longest, w)
	}
	if len(waits) != 2 || longest < 30*time.Millisecond {
		t.Fatalf("OnWait got %v, want the holder's and the waiter's (>= 30ms)", waits)
	}
}

func TestContextCancellationWhileWaiting(t *testing.T) {
	h := newHasher(t, small, 1, 0) // no maxWait: only the context ends the wait
	release := holdSlots(t, h)
	defer release()

	c, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(c, password(t, "pw")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Hash = %v, want context.DeadlineExceeded", err)
	}
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
