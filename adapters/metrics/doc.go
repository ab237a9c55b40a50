// Package metrics exports authd's Prometheus metrics
// (github.com/prometheus/client_golang): HTTP requests by route and status,
// login and refresh outcomes, lockouts, rate-limit rejections, the
// password-hash queue, the database pool, and the Go runtime and process
// collectors. The registry is served on a listener of its own, never on the
// public API.
//
// Nothing outside this package and the wiring knows Prometheus. The use
// cases are counted from outside:
//
//   - outcomes that are audit events (login succeeded, failed or locked;
//     refresh rotated, grace hit or reuse detected) are counted from the
//     events themselves, by decorators of outbound.Transactor (an event
//     recorded in a unit of work counts once the unit has committed) and of
//     outbound.AuditLog (events recorded on their own);
//   - outcomes that have no event (a refresh refused as expired or invalid)
//     are counted by Observed, a generic decorator of an inbound.Handler that
//     sees each command with its result and error;
//   - what only an adapter knows is handed over through a plain hook the
//     adapter declares (httpapi.Observer for requests and rate-limit
//     rejections, argon2id.Hasher.OnWait for the hashing queue).
//
// Adding the metrics of a new feature is one file here and a few lines in
// cmd/authd/wiring/metrics.go: declare the vectors in the file with a
// constructor that registers them on the Metrics (see auth.go), give it
// the method the decorator or hook calls, and in the wiring decorate the
// feature's port (fx.Decorate) or register a collector that reads a gauge
// when scraped (as the database pool is). Labels are closed sets chosen by
// the code (a route template, an outcome, a mail purpose, a provider name
// from the configuration), never a user id, an email or an IP address.
package metrics
