package system

import (
	"sync"
	"testing"
	"time"
)

func TestManualClockStandsStillUntilMoved(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
	c := NewManualClock(start)
	for range 3 {
		if got := c.Now(); !got.Equal(start) {
			t.Fatalf("Now = %v, want %v until the clock is moved", got, start)
		}
	}
	c.Advance(90 * time.Second)
	if got, want := c.Now(), start.Add(90*time.Second); !got.Equal(want) {
		t.Fatalf("after Advance(90s): %v, want %v", got, want)
	}
	c.Advance(-30 * time.Second)
	if got, want := c.Now(), start.Add(time.Minute); !got.Equal(want) {
		t.Fatalf("after Advance(-30s): %v, want %v", got, want)
	}
	later := time.Date(2031, 6, 1, 0, 0, 0, 0, time.UTC)
	c.Set(later)
	if got := c.Now(); !got.Equal(later) {
		t.Fatalf("after Set: %v, want %v", got, later)
	}
	c.Set(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("after Set back: %v, want %v", got, start)
	}
}

func TestManualClockTellsUTCLikeTheRealOne(t *testing.T) {
	zone := time.FixedZone("UTC+2", 2*60*60)
	start := time.Date(2030, 1, 1, 12, 0, 0, 0, zone)
	c := NewManualClock(start)
	if got := c.Now(); got.Location() != time.UTC || !got.Equal(start) {
		t.Fatalf("NewManualClock: Now = %v, want %v in UTC", got, start)
	}
	c.Set(start.Add(time.Hour))
	if got := c.Now(); got.Location() != time.UTC || !got.Equal(start.Add(time.Hour)) {
		t.Fatalf("Set: Now = %v, want %v in UTC", got, start.Add(time.Hour))
	}
}

// Run under -race: the clock is read and moved from many goroutines, and no
// move is lost.
func TestManualClockIsSafeForConcurrentUse(t *testing.T) {
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewManualClock(start)
	const movers, moves = 8, 1000
	var wg sync.WaitGroup
	for range movers {
		wg.Go(func() {
			for range moves {
				c.Advance(time.Millisecond)
				if c.Now().Before(start) {
					t.Error("Now went before the start while the clock only moved forward")
					return
				}
			}
		})
	}
	wg.Wait()
	if got, want := c.Now(), start.Add(movers*moves*time.Millisecond); !got.Equal(want) {
		t.Fatalf("after %d concurrent moves of 1ms: %v, want %v", movers*moves, got, want)
	}
}
