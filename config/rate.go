package config

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Rate is a request budget: at most Limit requests per Period. It is written
// "N/duration" in the configuration, e.g. "20/1m" or "10/1h".
type Rate struct {
	Limit  int
	Period time.Duration
}

// ParseRate reads the "N/duration" form, N >= 1 and duration > 0.
func ParseRate(s string) (Rate, error) {
	n, d, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, errors.New(`must look like "N/duration", e.g. "20/1m"`)
	}
	limit, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || limit < 1 {
		return Rate{}, errors.New("the count before / must be a whole number of at least 1")
	}
	period, err := time.ParseDuration(strings.TrimSpace(d))
	if err != nil || period <= 0 {
		return Rate{}, errors.New(`the period after / must be a positive duration such as "1m" or "1h"`)
	}
	return Rate{Limit: limit, Period: period}, nil
}

// String returns the "N/duration" form with zero units trimmed ("20/1m", not "20/1m0s").
func (r Rate) String() string {
	return strconv.Itoa(r.Limit) + "/" + shortDuration(r.Period)
}

// shortDuration formats d like time.Duration.String without trailing zero units.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
