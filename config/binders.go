package config

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The binders below are the parsers of settings.go: each reads one kind of
// value and enforces the rules that concern that value alone. Rules between
// settings live in validate.go.

// asString is the conversion of a setting that takes any text.
func asString[T ~string](s string) (T, error) { return T(s), nil }

// showString shows a string-typed value as a plain string.
func showString[T ~string](v T) any { return string(v) }

// str binds free text, taken as written.
func str[T ~string](p *T) binder {
	return field(p, scalarOf(asString[T]), noRule[T], showString[T])
}

// nonBlank binds text that must hold more than white space.
func nonBlank(p *string) binder {
	return field(p, scalarOf(asString[string]), func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("must not be empty")
		}
		return nil
	}, showString[string])
}

// hostPort binds a listen address such as "127.0.0.1:8080".
func hostPort(p *string) binder {
	return field(p, scalarOf(asString[string]), checkHostPort, showString[string])
}

// hostPortOrEmpty binds a listen address that may be left empty to disable
// the listener.
func hostPortOrEmpty(p *string) binder {
	return field(p, scalarOf(asString[string]), func(v string) error {
		if v == "" {
			return nil
		}
		return checkHostPort(v)
	}, showString[string])
}

func checkHostPort(v string) error {
	if _, _, err := net.SplitHostPort(v); err != nil {
		return errors.New(`must be host:port, e.g. "127.0.0.1:8080"`)
	}
	return nil
}

// boolean binds true or false (also 1/0, t/f, as strconv.ParseBool reads them).
func boolean(p *bool) binder {
	return field(p, scalarOf(func(s string) (bool, error) {
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return false, errors.New("must be true or false")
		}
		return b, nil
	}), noRule[bool], func(v bool) any { return v })
}

// integer binds a whole number in [lo, hi]. hi must fit T: the range is
// checked before the value is narrowed, so an overflow cannot wrap round.
func integer[T int | int64 | uint32 | uint8](p *T, lo, hi int64) binder {
	outOfRange := func(n int64) error {
		// An upper bound nobody will reach is noise in the message.
		if hi >= math.MaxInt32 && n < lo {
			return fmt.Errorf("must be at least %d", lo)
		}
		return fmt.Errorf("must be between %d and %d", lo, hi)
	}
	inRange := func(n int64) error {
		if n < lo || n > hi {
			return outOfRange(n)
		}
		return nil
	}
	return field(p, scalarOf(func(s string) (T, error) {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			// Beyond int64 is beyond every bound; n is the saturated side.
			return 0, outOfRange(n)
		}
		if err != nil {
			return 0, errors.New("must be a whole number")
		}
		if err := inRange(n); err != nil {
			return 0, err
		}
		return T(n), nil
	}), func(v T) error { return inRange(int64(v)) }, func(v T) any { return v })
}

// readDuration reads a Go duration with a unit ("15m", "168h"); a bare
// number is refused because its unit would be a guess.
var readDuration = scalarOf(func(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, errors.New(`must be a duration with a unit, such as "15m" or "168h"`)
	}
	return d, nil
})

func showDuration(d time.Duration) any { return shortDuration(d) }

// duration binds a positive duration.
func duration(p *time.Duration) binder {
	return field(p, readDuration, func(d time.Duration) error {
		if d <= 0 {
			return errors.New("must be a positive duration")
		}
		return nil
	}, showDuration)
}

// durationAtMost binds a duration from zero to limit inclusive.
func durationAtMost(p *time.Duration, limit time.Duration) binder {
	return field(p, readDuration, func(d time.Duration) error {
		if d < 0 || d > limit {
			return fmt.Errorf("must be from 0s to %s", shortDuration(limit))
		}
		return nil
	}, showDuration)
}

// rate binds an "N/duration" budget.
func rate(p *Rate) binder {
	return field(p, scalarOf(ParseRate), func(r Rate) error {
		if r.Limit < 1 || r.Period <= 0 {
			return errors.New(`must look like "N/duration" with N >= 1, e.g. "20/1m"`)
		}
		return nil
	}, func(r Rate) any { return r.String() })
}

// list binds a list of strings, comma-separated in the environment.
func list(p *[]string) binder {
	return field(p, items, noRule[[]string], func(v []string) any { return append([]string{}, v...) })
}

// prefixes binds a list of CIDRs; a bare IP means that single address.
func prefixes(p *[]netip.Prefix) binder {
	read := func(raw any) ([]netip.Prefix, error) {
		list, err := items(raw)
		if err != nil {
			return nil, err
		}
		out := make([]netip.Prefix, 0, len(list))
		for _, item := range list {
			if p, err := netip.ParsePrefix(item); err == nil {
				out = append(out, p.Masked())
				continue
			}
			addr, err := netip.ParseAddr(item)
			if err != nil {
				return nil, fmt.Errorf("%q is neither a CIDR nor an IP address", item)
			}
			addr = addr.Unmap()
			out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
		}
		return out, nil
	}
	rule := func(v []netip.Prefix) error {
		for _, p := range v {
			if !p.IsValid() {
				return errors.New("holds an invalid prefix")
			}
		}
		return nil
	}
	return field(p, read, rule, func(v []netip.Prefix) any {
		out := make([]string, 0, len(v))
		for _, p := range v {
			out = append(out, p.String())
		}
		return out
	})
}

// enum binds one of the allowed values, spelt exactly (case matters).
func enum[T ~string](p *T, allowed ...T) binder {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	b := field(p, scalarOf(asString[T]), func(v T) error {
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("must be one of %s", strings.Join(names, ", "))
		}
		return nil
	}, showString[T])
	b.choices = names
	return b
}
