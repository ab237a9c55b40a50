// Package token issues and verifies the access tokens of authd: JWTs signed
// with github.com/golang-jwt/jwt/v5 under one pinned algorithm (EdDSA by
// default; RS256, ES256 and HS256 by configuration).
//
// Keys live in a KeySet. Asymmetric keys are PKCS#8 PEM files in a keys
// directory, one file per key id (kid). The kid starts with the key's
// creation time, so the newest file is the active signing key and older
// ones keep verifying the tokens they signed until an operator removes them:
// rotation is "generate a new key, keep the old ones". Under HS256 the key is
// the configured shared secret and nothing is published in the JWKS.
//
// Verification follows RFC 8725 (JWT best current practice) and RFC 9068
// (the at+jwt profile): one algorithm only, the key chosen by kid among the
// server's own keys only (jku, jwk and x5u headers are never read), typ
// checked, crit refused, iss, aud and exp required, nbf and iat not in the
// future beyond a leeway of at most 30 seconds, time from the injected clock.
package token
