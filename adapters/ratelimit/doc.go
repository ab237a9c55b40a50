// Package ratelimit counts hits per key in fixed windows, for the
// outbound.RateLimiter port, on top of github.com/ulule/limiter:
//
//   - Memory keeps the counts in the process: right for one instance.
//   - Redis keeps them in Redis, so that several instances share one budget.
//   - Resilient uses Redis and, while Redis cannot be reached, the process's
//     own counts instead: requests stay limited, and are never refused
//     because the limiter's store is down.
//
// All three report usage the same way. A quota of Limit hits allows hits
// 1 to Limit (Exceeded false, Remaining counting down to 0); hit Limit+1 and
// every later one in the window is Exceeded. Peek never counts, and reports
// Exceeded as soon as the budget is spent (Remaining 0), since the next hit
// would be refused. ResetIn is when the window ends, in whole seconds and at
// least one second: a client told to retry after it will find a fresh window.
//
// A window starts at a key's first hit and lasts Quota.Window; counts are
// kept under the quota's name and a hash of the key, so quotas with
// different names never share a count, keys of any length take the same
// room, and keys (e-mail addresses, IPs) are not stored in clear.
package ratelimit
