// Package argon2id hashes and verifies passwords with Argon2id (RFC 9106)
// from golang.org/x/crypto/argon2, storing them as PHC strings
// ($argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>) so that each hash carries
// the parameters it was made with and can be upgraded after a login.
//
// Every hash costs memory (m KiB) and CPU, so the Hasher runs at most a fixed
// number at once; callers beyond that wait for a slot up to a limit and are
// then refused with outbound.ErrOverloaded, which the API turns into 503 with
// Retry-After. Memory therefore stays bounded under a flood of logins.
package argon2id
