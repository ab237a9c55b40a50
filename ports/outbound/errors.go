package outbound

import "errors"

// ErrUnavailable means a store the use case needs (the database, a
// separate session store) is unreachable or did not answer within its
// deadline. Adapters wrap their failure in it; use cases pass it on
// unchanged; clients are told to retry later (503 with Retry-After). It
// never means a credential was wrong: authentication fails closed.
var ErrUnavailable = errors.New("a store is unavailable")
