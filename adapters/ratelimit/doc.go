// Package ratelimit counts hits per key in fixed windows, for the
// outbound.RateLimiter port:
//
//   - Memory keeps the counts in the process: right for one instance. Its
//     windows run on the clock it is given, so tests move them with a
//     manual clock.
//   - Redis keeps them in Redis, so that several instances share one
//     budget. Its windows are key expiries and run on Redis's clock.
//   - Resilient uses Redis and, while Redis cannot be reached, the process's
//     own counts instead: requests stay limited, and are never refused
//     because the limiter's store is down.
//
// All three report usage the same way. A quota of Limit hits allows hits
// 1 to Limit (Exceeded false, Remaining counting down to 0); hit Limit+1 and
// every later one in the window is Exceeded. Peek never counts, and reports
// Exceeded as soon as the budget is spent (Remaining 0), since the next hit
// would be refused. ResetIn is the time left in the window, rounded up to
// whole seconds and at least one second: a client told to retry after it
// will find a fresh window.
//
// A window starts at a key's first hit and lasts Quota.Window; counts are
// kept under the quota's name and a hash of the key, so quotas with
// different names never share a count, keys of any length take the same
// room, and keys (e-mail addresses, IPs) are not stored in clear.
package ratelimit
