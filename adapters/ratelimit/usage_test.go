package ratelimit

import (
	"testing"
	"time"

	"github.com/authd/authd/ports/outbound"
)

func TestUsage(t *testing.T) {
	left := 29*time.Second + 600*time.Millisecond
	tests := []struct {
		name  string
		count int64
		peek  bool
		want  outbound.Usage
	}{
		{"hit within the limit", 3, false, outbound.Usage{Limit: 5, Remaining: 2, ResetIn: 30 * time.Second}},
		{"the last allowed hit", 5, false, outbound.Usage{Limit: 5, Remaining: 0, ResetIn: 30 * time.Second}},
		{"a hit over the limit", 6, false, outbound.Usage{Limit: 5, Remaining: 0, ResetIn: 30 * time.Second, Exceeded: true}},
		{"a peek with budget left", 4, true, outbound.Usage{Limit: 5, Remaining: 1, ResetIn: 30 * time.Second}},
		{"a peek at a spent budget", 5, true, outbound.Usage{Limit: 5, Remaining: 0, ResetIn: 30 * time.Second, Exceeded: true}},
		{"a peek past a spent budget", 9, true, outbound.Usage{Limit: 5, Remaining: 0, ResetIn: 30 * time.Second, Exceeded: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := usage(5, tt.count, left, tt.peek); got != tt.want {
				t.Fatalf("usage(5, %d, %v, peek=%v) = %+v, want %+v", tt.count, left, tt.peek, got, tt.want)
			}
		})
	}
}

func TestResetInRoundsUpToWholeSecondsAndOneAtLeast(t *testing.T) {
	for _, tt := range []struct{ left, want time.Duration }{
		{time.Minute, time.Minute},
		{time.Minute - time.Nanosecond, time.Minute},
		{59*time.Second + time.Nanosecond, time.Minute},
		{1500 * time.Millisecond, 2 * time.Second},
		{time.Second, time.Second},
		{time.Millisecond, time.Second},
		{0, time.Second},
		{-time.Second, time.Second},
	} {
		if got := resetIn(tt.left); got != tt.want {
			t.Errorf("resetIn(%v) = %v, want %v", tt.left, got, tt.want)
		}
	}
}
