package system

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestClockIsUTCAndCurrent(t *testing.T) {
	before := time.Now()
	now := Clock{}.Now()
	after := time.Now()
	if now.Location() != time.UTC {
		t.Fatalf("location = %v, want UTC", now.Location())
	}
	if now.Before(before) || now.After(after) {
		t.Fatalf("Now = %v, not between %v and %v", now, before, after)
	}
}

func TestUUIDv7IDsAreValidAndIncreasing(t *testing.T) {
	var gen UUIDv7
	prev := ""
	for i := range 10_000 {
		s := gen.NewID().String()
		id, err := uuid.Parse(s)
		if err != nil {
			t.Fatalf("id %q does not parse: %v", s, err)
		}
		if id.Version() != 7 || id.Variant() != uuid.RFC4122 {
			t.Fatalf("id %s: version %d variant %v, want 7 / RFC 4122", s, id.Version(), id.Variant())
		}
		if id.String() != s {
			t.Fatalf("id %q is not in canonical form", s)
		}
		if i > 0 && s <= prev {
			t.Fatalf("id %s does not sort after %s", s, prev)
		}
		prev = s
	}
}

func TestUUIDv7CarriesItsCreationTime(t *testing.T) {
	before := time.Now().UnixMilli()
	id := uuid.UUID(UUIDv7{}.NewID())
	sec, nsec := id.Time().UnixTime()
	ms := sec*1000 + nsec/1_000_000
	if ms < before || ms > time.Now().UnixMilli() {
		t.Fatalf("id time %d ms is not the creation time (from %d)", ms, before)
	}
}

func TestSecretsAreLongRandomAndURLSafe(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s := Secrets{}.NewSecret()
		if len(s) != 43 || strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" || seen[s] {
			t.Fatalf("secret %q: want 43 distinct base64url characters", s)
		}
		seen[s] = true
	}
}
