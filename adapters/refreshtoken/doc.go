// Package refreshtoken turns a session's generation into its opaque refresh
// token and back (outbound.RefreshTokens).
//
// A token is the unpadded base64url encoding of
//
//	version (1 byte) || session id (16 bytes) || generation (8 bytes, big endian) ||
//	HMAC-SHA256(key, "authd-refresh-v1" || version || session id || generation)
//
// 57 bytes, 76 characters. The 256-bit MAC under a 256-bit server key is
// what makes the token unguessable; the rest only says which session and
// which rotation it belongs to.
//
// Deriving the token instead of storing a random one buys two things:
//
//   - The same generation always yields the byte-identical token. The reuse
//     grace rule needs exactly that: a client that presents the predecessor
//     of the current token within the grace interval must get back the very
//     successor the first request got, and the server can recompute it from
//     the session's generation alone, with nothing extra kept in the database.
//   - A database dump yields no usable token. Storage holds session ids and
//     generation numbers, never a token or a hash of one; without the key
//     file nobody can mint a token from them.
//
// The price is that the key must be kept secret and shared by every server
// instance, like the JWT signing keys; replacing it invalidates every refresh
// token (every session must log in again), which is also the way to revoke
// all sessions at once after a key leak.
package refreshtoken
