// Package redisstore keeps sessions in Redis: an outbound.SessionStore that
// takes part in the units of work of the SQL database (through
// compose.Transactor) and a SessionRepository for use outside them. Users
// and the audit trail stay in SQL.
//
// Keys (one Redis, or a primary with replicas; not Redis Cluster, whose
// transactions cannot span the keys of two sessions or of a session and its
// user's index):
//
//	authd:session:<session id>       the session, JSON; PEXPIREAT its deadline
//	                                 (the earlier of idle and absolute), so it
//	                                 vanishes on its own when it ends
//	authd:user-sessions:<user id>    sorted set of the user's session ids, scored
//	                                 by each one's absolute deadline; expires
//	                                 with the last of them
//	authd:audit-events               stream of audit events waiting for the
//	                                 SQL audit table
//
// A unit of work reads optimistically: every key it reads is WATCHed first
// on a connection of its own, and Commit applies its writes in one
// MULTI/EXEC together with an XADD of the unit's audit events. When a key
// the unit read has changed, EXEC aborts, nothing is applied and Commit
// fails with outbound.ErrSessionConflict; compose.Transactor runs the unit
// again. The rotation rules stay in the domain (session.Redeem runs in Go):
// Redis only compares and sets.
//
// The user's index never lists a dead session: members whose absolute
// deadline has passed are removed on every write to the index, members
// whose session key has expired (an idle timeout) when a read finds them
// missing, and a listing checks each session itself anyway.
//
// Audit events reach the SQL table through outbound.AuditImporter, which
// skips ids it holds: right after their commit (so the trail reads its own
// writes, as on SQL), and otherwise through Drain, which a background loop
// runs. A stream entry is deleted only after its import committed, so every
// event arrives in SQL exactly once.
//
// Every call to Redis has a deadline. A Redis that is down or too slow is
// outbound.ErrUnavailable: authentication and refreshes fail closed, and
// the outage is logged once a minute at most.
package redisstore
