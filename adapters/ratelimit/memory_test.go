package ratelimit

import (
	"testing"
	"time"

	"github.com/authd/authd/ports/outbound"
)

func TestMemory(t *testing.T) {
	t.Parallel()
	runSuite(t, func(*testing.T) outbound.RateLimiter { return NewMemory() })
}

func TestMemoryInstancesDoNotShare(t *testing.T) {
	a, b := NewMemory(), NewMemory()
	q := outbound.Quota{Name: "login", Limit: 1, Window: time.Minute}
	hit(t, a, q, "k")
	if u := hit(t, b, q, "k"); u.Exceeded {
		t.Fatal("a hit on one Memory limiter counted on another")
	}
}
