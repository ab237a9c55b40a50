package ratelimit

import (
	"strconv"
	"testing"
	"time"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/ports/outbound"
)

// epoch is where the tests' manual clocks start, off the whole second so
// that rounding shows.
var epoch = time.Date(2030, 1, 1, 0, 0, 0, 400_000_000, time.UTC)

func newMemory() (*Memory, *system.ManualClock) {
	clock := system.NewManualClock(epoch)
	return NewMemory(clock), clock
}

func TestMemory(t *testing.T) {
	t.Parallel()
	runSuite(t, func(*testing.T) subject {
		m, clock := newMemory()
		return subject{limiter: m, elapse: func(_ *testing.T, d time.Duration) { clock.Advance(d) }}
	})
}

func TestMemoryInstancesDoNotShare(t *testing.T) {
	a, _ := newMemory()
	b, _ := newMemory()
	q := outbound.Quota{Name: "login", Limit: 1, Window: time.Minute}
	hit(t, a, q, "k")
	if u := hit(t, b, q, "k"); u.Exceeded {
		t.Fatal("a hit on one Memory limiter counted on another")
	}
}

func TestMemoryWindowEndsExactlyAfterItsLength(t *testing.T) {
	m, clock := newMemory()
	q := outbound.Quota{Name: "login", Limit: 1, Window: time.Minute}
	hit(t, m, q, "k")
	clock.Advance(q.Window - time.Nanosecond)
	if u := hit(t, m, q, "k"); !u.Exceeded || u.ResetIn != time.Second {
		t.Fatalf("hit 1ns before the window ends: %+v, want exceeded with ResetIn 1s", u)
	}
	clock.Advance(time.Nanosecond)
	if u := peek(t, m, q, "k"); u.Exceeded || u.Remaining != 1 || u.ResetIn != q.Window {
		t.Fatalf("peek as the window ends: %+v, want the whole budget and a whole window", u)
	}
}

func TestMemoryResetInIsTheTimeLeftRoundedUp(t *testing.T) {
	m, clock := newMemory()
	q := outbound.Quota{Name: "login", Limit: 5, Window: time.Minute}
	for _, step := range []struct {
		advance time.Duration
		want    time.Duration
	}{
		{0, 60 * time.Second},
		{300 * time.Millisecond, 60 * time.Second}, // 59.7 s left
		{time.Second, 59 * time.Second},            // 58.7 s left
		{700 * time.Millisecond, 58 * time.Second}, // exactly 58 s left
		{57*time.Second + 500*time.Millisecond, time.Second},
		{499 * time.Millisecond, time.Second}, // 1 ms left: never under a second
	} {
		clock.Advance(step.advance)
		if u := peek(t, m, q, "k"); u.ResetIn != step.want {
			t.Fatalf("peek: ResetIn %v, want %v", u.ResetIn, step.want)
		}
		if step.advance == 0 {
			hit(t, m, q, "k") // the window starts here
		}
	}
}

func TestMemorySweepsEndedWindows(t *testing.T) {
	m, clock := newMemory()
	minute := outbound.Quota{Name: "login", Limit: 5, Window: time.Minute}
	hour := outbound.Quota{Name: "signup", Limit: 5, Window: time.Hour}
	for i := range 100 {
		hit(t, m, minute, "key-"+strconv.Itoa(i))
	}
	hit(t, m, hour, "long")
	if n := m.entries(); n != 101 {
		t.Fatalf("%d entries after 101 new keys, want 101", n)
	}
	clock.Advance(time.Minute)
	hit(t, m, minute, "new")
	if n := m.entries(); n != 2 {
		t.Fatalf("%d entries after the minute windows ended, want 2 (the hour window and the new key)", n)
	}
	if u := peek(t, m, hour, "long"); u.Remaining != hour.Limit-1 {
		t.Fatalf("the running hour window after a sweep: %+v, want its count kept", u)
	}
}

// The package documents that R new keys a second under a longest window W
// hold at most R × (W + sweepEvery) entries. Ten simulated minutes of a
// steady flood of new keys never go over it.
func TestMemoryStaysWithinItsDocumentedBound(t *testing.T) {
	m, clock := newMemory()
	const perSecond = 10
	q := outbound.Quota{Name: "login", Limit: 5, Window: time.Minute}
	bound := perSecond * int((q.Window+sweepEvery)/time.Second)
	most, n := 0, 0
	for range 600 {
		for range perSecond {
			n++
			hit(t, m, q, "key-"+strconv.Itoa(n))
		}
		most = max(most, m.entries())
		clock.Advance(time.Second)
	}
	if most > bound {
		t.Fatalf("held %d entries, over the documented bound of %d", most, bound)
	}
	if most < perSecond*int(q.Window/time.Second) {
		t.Fatalf("held at most %d entries, fewer than the keys whose windows run: counts were dropped early", most)
	}
}

func TestMemoryKeepsSweepingAfterTheClockIsSetBack(t *testing.T) {
	m, clock := newMemory()
	q := outbound.Quota{Name: "login", Limit: 5, Window: time.Second}
	hit(t, m, q, "a") // the last sweep, at epoch
	clock.Set(epoch.Add(-time.Hour))
	hit(t, m, q, "b")
	clock.Advance(sweepEvery)
	hit(t, m, q, "c")
	// b's window ended; a's, by the clock set back, has not. Waiting for
	// the clock to pass the last sweep again would have kept b an hour.
	if n := m.entries(); n != 2 {
		t.Fatalf("%d entries, want 2 (a and c): the sweeps stopped when the clock was set back", n)
	}
}

func TestNewMemoryWithoutAClockPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("NewMemory(nil) returned; want a panic at wiring time rather than on the first request")
		}
	}()
	NewMemory(nil)
}

// entries returns how many counts m holds.
func (m *Memory) entries() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.windows)
}
