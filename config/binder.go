package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// binder ties one setting to the Config field it fills. It is built over a
// pointer into a particular Config (see Config.settings), so the same
// declaration decodes into that Config, re-checks it and shows it.
//
// Errors from parse and check are the reason alone ("must be at least 1");
// the caller prefixes "config: <key>: ". They never repeat the value, which
// may be a secret.
type binder struct {
	// target is the field, so a test can prove every field is bound once.
	target any
	// parse converts a raw value, checks the setting's own rule and stores
	// it. A raw value is a string (defaults, environment) or what YAML made
	// of the file's value: a scalar, a list, a section or nil.
	parse func(raw any) error
	// check applies the setting's own rule to the stored value, so that
	// Validate also guards a Config built or changed by hand.
	check func() error
	// show returns the stored value as Masked reports it: configuration
	// syntax for durations and rates, []string for lists, secrets hidden.
	show func() any
	// choices are the accepted values of an enumerated setting, for the
	// README; nil for the others.
	choices []string
}

// field builds the binder of a setting of type T: read turns a raw value
// into a T, rule is the setting's own constraint and show formats the value
// for Masked. rule runs at parse time and again in Validate.
func field[T any](p *T, read func(raw any) (T, error), rule func(T) error, show func(T) any) binder {
	return binder{
		target: p,
		parse: func(raw any) error {
			v, err := read(raw)
			if err != nil {
				return err
			}
			if err := rule(v); err != nil {
				return err
			}
			*p = v
			return nil
		},
		check: func() error { return rule(*p) },
		show:  func() any { return show(*p) },
	}
}

// scalarOf adapts a conversion from one string into a reader of raw values
// that must be a single value.
func scalarOf[T any](conv func(string) (T, error)) func(any) (T, error) {
	return func(raw any) (T, error) {
		s, err := scalar(raw)
		if err != nil {
			var zero T
			return zero, err
		}
		return conv(s)
	}
}

// errNotScalar is the reason for a list or section where one value belongs.
var errNotScalar = errors.New("must be a single value, not a list or section")

// scalar reads a single value as the string it would be in the environment.
// A YAML null (key: with nothing after it) reads as "".
func scalar(raw any) (string, error) {
	switch x := raw.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case float64:
		// 'f' keeps a whole float (memory_kib: 4.0e4) readable as an integer.
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool, int, int64, uint64:
		return fmt.Sprint(x), nil
	default:
		return "", errNotScalar
	}
}

// items reads a list: a YAML list of strings, or one string of
// comma-separated items as the environment writes it. Items are trimmed and
// empty ones dropped, so "" (or nothing) is the empty list.
func items(raw any) ([]string, error) {
	out := []string{}
	add := func(item string) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	switch x := raw.(type) {
	case nil:
	case string:
		for _, item := range strings.Split(x, ",") {
			add(item)
		}
	case []string:
		for _, item := range x {
			add(item)
		}
	case []any:
		for _, v := range x {
			item, ok := v.(string)
			if !ok {
				return nil, errors.New("must be a list of strings")
			}
			add(item)
		}
	default:
		return nil, errors.New("must be a list (comma-separated in the environment)")
	}
	return out, nil
}

// noRule is the rule of a setting that accepts whatever it can read.
func noRule[T any](T) error { return nil }
