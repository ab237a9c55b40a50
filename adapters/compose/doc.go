// Package compose holds storage adapters made only of other storage ports,
// for when sessions do not live in the same store as users:
//
//   - PrincipalLookup, the default principal lookup, asks the session and
//     user repositories in turn (a store holding both may answer with one
//     query instead);
//   - Transactor spans a main transactor (users and the audit log, in SQL)
//     and a session store kept apart (Redis, say) that can stage its writes
//     and apply them atomically with a batch of audit events.
//
// What is atomic with what, in such a unit of work, is written on
// Transactor.Within and in docs/architecture.md.
package compose
