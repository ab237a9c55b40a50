package wiring

import (
	"encoding/json"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/adapters/argon2id"
	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/adapters/idn"
	"github.com/authd/authd/adapters/passwordlist"
	"github.com/authd/authd/adapters/refreshtoken"
	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/adapters/token"
	"github.com/authd/authd/config"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// accessTokenLeeway is the clock skew tolerated when verifying access
// tokens: the contract's ceiling. Every request re-checks the live session,
// so a token used in that window after exp still cannot outlive a logout.
const accessTokenLeeway = 30 * time.Second

// Crypto provides time, ids, token signing, refresh-token derivation,
// password hashing and the common-password list.
var Crypto = fx.Module("crypto",
	fx.Provide(
		fx.Annotate(func() system.Clock { return system.Clock{} }, fx.As(new(outbound.Clock))),
		fx.Annotate(func() system.UUIDv7 { return system.UUIDv7{} }, fx.As(new(outbound.IDGenerator))),
		fx.Annotate(passwordlist.New, fx.As(new(user.Blocklist))),
		fx.Annotate(idn.New, fx.As(new(outbound.EmailNormalizer))),
		newKeys,
		newAccessTokens,
		loadRefreshKey,
		fx.Annotate(newRefreshCodec, fx.As(new(outbound.RefreshTokens))),
		fx.Annotate(newHasher, fx.As(new(outbound.PasswordHasher))),
		fx.Annotate(func(cfg *config.Config) token.KeyDir {
			return token.KeyDir{Dir: cfg.JWT.KeysDir, Algorithm: string(cfg.JWT.Algorithm)}
		}, fx.As(new(outbound.SigningKeyStore))),
		jwksDocument,
	),
)

// KeyRetention is how long a replaced key stays published: until every
// token it signed has expired.
func KeyRetention(cfg *config.Config) time.Duration {
	return cfg.Auth.AccessTokenTTL + accessTokenLeeway
}

// jwksDocument renders the keys that may verify a live token, from the key
// set in force, at each request: what it holds changes with reloads and
// with activation and retention times.
func jwksDocument(cfg *config.Config, keys token.KeySource, clock outbound.Clock) httpapi.JWKSFunc {
	retain := KeyRetention(cfg)
	return func() ([]byte, error) {
		return json.Marshal(keys.KeySet().JWKSAt(clock.Now(), retain))
	}
}

// newKeys loads the signing keys. Outside production a missing key is
// generated so that `authd` runs with no setup; production refuses to
// start. Keys from a directory come as a ring that the key reloader
// refreshes; the HS256 secret is a fixed set and the ring is nil.
func newKeys(cfg *config.Config) (token.KeySource, *token.KeyRing, error) {
	if cfg.JWT.Algorithm == config.AlgHS256 {
		ks, err := token.NewHMACKeySet([]byte(cfg.JWT.Secret.Reveal()))
		return ks, nil, err
	}
	ring, err := token.NewKeyRing(cfg.JWT.KeysDir, string(cfg.JWT.Algorithm), !cfg.IsProduction())
	if err != nil {
		return nil, nil, err
	}
	return ring, ring, nil
}

func newAccessTokens(cfg *config.Config, keys token.KeySource, clock outbound.Clock, ids outbound.IDGenerator) (outbound.AccessTokens, error) {
	tokens, err := token.NewIssuer(token.Config{
		Algorithm: string(cfg.JWT.Algorithm),
		Issuer:    cfg.JWT.Issuer,
		Audience:  cfg.JWT.Audience,
		TTL:       cfg.Auth.AccessTokenTTL,
		Leeway:    accessTokenLeeway,
	}, keys, clock, ids)
	if err != nil {
		return nil, err
	}
	return cacheVerifiedTokens(cfg, tokens, keys, clock), nil
}

// cacheVerifiedTokens remembers verified access tokens until their exp
// (auth.token_cache_size; 0 turns it off). The session and the user are
// still read on every request.
func cacheVerifiedTokens(cfg *config.Config, next outbound.AccessTokens, keys token.KeySource, clock outbound.Clock) outbound.AccessTokens {
	if cfg.Auth.TokenCacheSize <= 0 {
		return next
	}
	return token.NewCache(next, keys, clock, cfg.Auth.TokenCacheSize)
}

// refreshKey is the server's secret in refresh.key: the refresh tokens'
// MAC key, and the root the mail keys are derived from. It is read once.
type refreshKey []byte

func loadRefreshKey(cfg *config.Config) (refreshKey, error) {
	return refreshtoken.LoadOrCreateKey(cfg.JWT.KeysDir, !cfg.IsProduction())
}

func newRefreshCodec(key refreshKey) (*refreshtoken.Codec, error) {
	return refreshtoken.New(key)
}

func newHasher(cfg *config.Config) (*argon2id.Hasher, error) {
	params := argon2id.DefaultParams()
	params.MemoryKiB = cfg.Password.Argon2.MemoryKiB
	params.Iterations = cfg.Password.Argon2.Iterations
	params.Parallelism = cfg.Password.Argon2.Parallelism
	return argon2id.New(params, cfg.Password.MaxConcurrentHashes, cfg.Password.MaxWait)
}
