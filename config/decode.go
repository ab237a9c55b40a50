package config

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// decode turns viper's merged settings into a typed Config. It reads each key
// explicitly rather than through Unmarshal so that a value of the wrong type
// stops with one line naming the key (mapstructure would join several
// multi-line messages). Messages never repeat the value: it may be a secret.
func decode(v *viper.Viper) (*Config, error) {
	r := &reader{v: v}
	// Go evaluates the calls below left to right, so r.err is the first bad key.
	c := &Config{
		Env: Env(r.str("env")),
		HTTP: HTTP{
			Addr:           r.str("http.addr"),
			TrustedProxies: r.prefixes("http.trusted_proxies"),
			BodyLimit:      r.integer("http.body_limit", 1, math.MaxInt64),
		},
		Database: Database{
			URL:         r.str("database.url"),
			AutoMigrate: r.boolean("database.auto_migrate"),
		},
		JWT: JWT{
			Algorithm: Algorithm(r.str("jwt.algorithm")),
			Issuer:    r.str("jwt.issuer"),
			Audience:  r.str("jwt.audience"),
			Secret:    Secret(r.str("jwt.secret")),
			KeysDir:   r.str("jwt.keys_dir"),
		},
		Auth: Auth{
			AccessTokenTTL:        r.duration("auth.access_token_ttl"),
			SessionIdleTimeout:    r.duration("auth.session_idle_timeout"),
			SessionMaxLifetime:    r.duration("auth.session_max_lifetime"),
			RefreshReuseGrace:     r.duration("auth.refresh_reuse_grace"),
			RefreshTokenTransport: Transport(r.str("auth.refresh_token_transport")),
			MaxSessionsPerUser:    int(r.integer("auth.max_sessions_per_user", 1, math.MaxInt32)),
		},
		Cookie: Cookie{Secure: r.boolean("cookie.secure")},
		CORS:   CORS{AllowedOrigins: r.list("cors.allowed_origins")},
		RateLimit: RateLimit{
			Enabled:      r.boolean("ratelimit.enabled"),
			RedisURL:     r.str("ratelimit.redis_url"),
			LoginPerIP:   r.rate("ratelimit.login_per_ip"),
			SignupPerIP:  r.rate("ratelimit.signup_per_ip"),
			RefreshPerIP: r.rate("ratelimit.refresh_per_ip"),
			DefaultPerIP: r.rate("ratelimit.default_per_ip"),
		},
		Lockout: Lockout{
			MaxFailures: int(r.integer("lockout.max_failures", 1, math.MaxInt32)),
			Window:      r.duration("lockout.window"),
		},
		Password: Password{
			Argon2: Argon2{
				MemoryKiB:   uint32(r.integer("password.argon2.memory_kib", 1, math.MaxUint32)),
				Iterations:  uint32(r.integer("password.argon2.iterations", 1, math.MaxUint32)),
				Parallelism: uint8(r.integer("password.argon2.parallelism", 1, math.MaxUint8)),
			},
			MinLength:           int(r.integer("password.min_length", math.MinInt32, math.MaxInt32)),
			MaxConcurrentHashes: int(r.integer("password.max_concurrent_hashes", 1, math.MaxInt32)),
			MaxWait:             r.duration("password.max_wait"),
		},
		Metrics: Metrics{Addr: r.str("metrics.addr")},
		Audit:   Audit{Retention: r.duration("audit.retention")},
		Log: Log{
			Level:  LogLevel(r.str("log.level")),
			Format: LogFormat(r.str("log.format")),
		},
	}
	if r.err != nil {
		return nil, r.err
	}
	return c, nil
}

// reader converts raw values (strings from the environment, YAML scalars and
// lists from a file, Go values from the defaults) and keeps the first error.
type reader struct {
	v   *viper.Viper
	err error
}

func (r *reader) fail(key, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("config: %s: %s", key, fmt.Sprintf(format, args...))
	}
}

func (r *reader) str(key string) string {
	switch x := r.v.Get(key).(type) {
	case nil:
		return ""
	case string:
		return x
	case bool, int, int64, uint64, float64:
		return fmt.Sprint(x)
	default:
		r.fail(key, "must be a single value, not a list or section")
		return ""
	}
}

func (r *reader) boolean(key string) bool {
	switch x := r.v.Get(key).(type) {
	case bool:
		return x
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
			return b
		}
	}
	r.fail(key, "must be true or false")
	return false
}

// integer reads a whole number in [lo, hi].
func (r *reader) integer(key string, lo, hi int64) int64 {
	var n int64
	switch x := r.v.Get(key).(type) {
	case int:
		n = int64(x)
	case int64:
		n = x
	case uint64:
		if x > math.MaxInt64 {
			n = math.MaxInt64
		} else {
			n = int64(x)
		}
	case float64:
		if x != math.Trunc(x) || x < math.MinInt64 || x > math.MaxInt64 {
			r.fail(key, "must be a whole number")
			return 0
		}
		n = int64(x)
	case string:
		parsed, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			r.fail(key, "must be a whole number")
			return 0
		}
		n = parsed
	default:
		r.fail(key, "must be a whole number")
		return 0
	}
	if n < lo || n > hi {
		if hi >= math.MaxInt32 && n < lo {
			r.fail(key, "must be at least %d", lo)
		} else {
			r.fail(key, "must be between %d and %d", lo, hi)
		}
		return 0
	}
	return n
}

// duration reads a Go duration with a unit ("15m", "168h"); a bare number is
// refused because its unit would be a guess.
func (r *reader) duration(key string) time.Duration {
	switch x := r.v.Get(key).(type) {
	case time.Duration:
		return x
	case string:
		if d, err := time.ParseDuration(strings.TrimSpace(x)); err == nil {
			return d
		}
	}
	r.fail(key, `must be a duration with a unit, such as "15m" or "168h"`)
	return 0
}

// list reads a YAML list or a comma-separated string.
func (r *reader) list(key string) []string {
	items := []string{}
	switch x := r.v.Get(key).(type) {
	case nil:
	case string:
		items = splitList(x)
	case []string:
		for _, item := range x {
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, item)
			}
		}
	case []any:
		for _, raw := range x {
			item, ok := raw.(string)
			if !ok {
				r.fail(key, "must be a list of strings")
				return nil
			}
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, item)
			}
		}
	default:
		r.fail(key, "must be a list (comma-separated in the environment)")
	}
	return items
}

func (r *reader) rate(key string) Rate {
	raw := r.str(key)
	if r.err != nil {
		return Rate{}
	}
	rate, err := ParseRate(raw)
	if err != nil {
		r.fail(key, "%v", err)
	}
	return rate
}

// prefixes reads a list of CIDRs; a bare IP means that single address.
func (r *reader) prefixes(key string) []netip.Prefix {
	out := []netip.Prefix{}
	for _, item := range r.list(key) {
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		addr, err := netip.ParseAddr(item)
		if err != nil {
			r.fail(key, "%q is neither a CIDR nor an IP address", item)
			return nil
		}
		addr = addr.Unmap()
		out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return out
}
