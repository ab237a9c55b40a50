package ratelimit

import (
	"testing"
	"time"

	"github.com/ulule/limiter/v3"

	"github.com/authd/authd/ports/outbound"
)

func TestToUsage(t *testing.T) {
	now := time.Unix(1_000_000, 400_000_000) // .4 s past a whole second
	tests := []struct {
		name string
		in   limiter.Context
		peek bool
		want outbound.Usage
	}{
		{"hit within the limit", limiter.Context{Limit: 5, Remaining: 2, Reset: 1_000_030}, false,
			outbound.Usage{Limit: 5, Remaining: 2, ResetIn: 30 * time.Second}},
		{"the last allowed hit", limiter.Context{Limit: 5, Remaining: 0, Reset: 1_000_030}, false,
			outbound.Usage{Limit: 5, Remaining: 0, ResetIn: 30 * time.Second}},
		{"a hit over the limit", limiter.Context{Limit: 5, Remaining: 0, Reset: 1_000_030, Reached: true}, false,
			outbound.Usage{Limit: 5, Remaining: 0, ResetIn: 30 * time.Second, Exceeded: true}},
		{"a peek with budget left", limiter.Context{Limit: 5, Remaining: 1, Reset: 1_000_030}, true,
			outbound.Usage{Limit: 5, Remaining: 1, ResetIn: 30 * time.Second}},
		{"a peek at a spent budget", limiter.Context{Limit: 5, Remaining: 0, Reset: 1_000_030}, true,
			outbound.Usage{Limit: 5, Remaining: 0, ResetIn: 30 * time.Second, Exceeded: true}},
		{"a reset time truncated into the past", limiter.Context{Limit: 5, Remaining: 0, Reset: 1_000_000}, false,
			outbound.Usage{Limit: 5, Remaining: 0, ResetIn: time.Second}},
		{"a reset time under a second away", limiter.Context{Limit: 5, Remaining: 3, Reset: 1_000_001}, false,
			outbound.Usage{Limit: 5, Remaining: 3, ResetIn: time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := toUsage(tt.in, now, tt.peek); got != tt.want {
				t.Fatalf("toUsage(%+v, peek=%v) = %+v, want %+v", tt.in, tt.peek, got, tt.want)
			}
		})
	}
}
