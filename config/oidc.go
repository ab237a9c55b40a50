package config

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// OIDC configures signing in with OpenID Connect providers.
type OIDC struct {
	// AllowedRedirects are the front-end URLs a flow may return to.
	AllowedRedirects []string
	// Timeout bounds every call to a provider (discovery, keys, token).
	Timeout time.Duration
	// Providers are the providers named in the configuration file, by
	// name; their keys are declared by OIDCProvider.settings.
	Providers map[string]*OIDCProvider
}

// OIDCProvider is one provider, oidc.providers.<name>.* in the file.
type OIDCProvider struct {
	// Issuer is the provider's issuer URL; its discovery document is at
	// Issuer + "/.well-known/openid-configuration".
	Issuer       string
	ClientID     string
	ClientSecret Secret
	// Scopes always include "openid".
	Scopes []string
	// LinkByEmail lets a sign-in with a provider-verified email join the
	// account that has it.
	LinkByEmail bool
	// AllowSignup lets an unknown identity create an account.
	AllowSignup bool
}

// providersSection is the file section holding one subsection per provider.
const providersSection = "oidc.providers"

// googleIssuer is the issuer of the provider named google.
const googleIssuer = "https://accounts.google.com"

// providerName is the shape of a provider's name: it becomes a URL path
// segment, a key segment and part of environment variable names.
var providerName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// settings declares the keys of the provider called name, once for every
// provider. "<name>" stands for the name in the README.
func (p *OIDCProvider) settings(name string) []setting {
	key := func(k string) string { return providersSection + "." + name + "." + k }
	issuer := ""
	if name == "google" {
		issuer = googleIssuer
	}
	return []setting{
		{key("issuer"), issuer, absoluteURL(&p.Issuer), "issuer URL, whose discovery document says the rest; `" + googleIssuer + "` for `google`"},
		{key("client_id"), "", str(&p.ClientID), "the client id registered with the provider; required"},
		{key("client_secret"), "", secret(str(&p.ClientSecret)), "its client secret"},
		{key("scopes"), "openid email profile", scopes(&p.Scopes), "scopes asked for, space-separated; `openid` is required"},
		{key("link_by_email"), "true", boolean(&p.LinkByEmail), "link an existing account whose email the provider verified"},
		{key("allow_signup"), "true", boolean(&p.AllowSignup), "create an account for an unknown identity"},
	}
}

// providerSettings declares the keys of every configured provider, in
// name order.
func (o *OIDC) providerSettings() []setting {
	var out []setting
	for _, name := range slices.Sorted(maps.Keys(o.Providers)) {
		out = append(out, o.Providers[name].settings(name)...)
	}
	return out
}

// discoverProviders creates an entry for each provider named in the file,
// so that settings() declares its keys before defaults, the unknown-key
// check and the environment are applied. Only the file can name a
// provider; the environment overrides the keys of one it named.
func (c *Config) discoverProviders(fv *viper.Viper) error {
	raw := fv.Get(providersSection)
	if raw == nil {
		return nil
	}
	section, ok := raw.(map[string]any)
	if !ok {
		return invalid(providersSection, errors.New("must be a section with one subsection per provider"))
	}
	c.OIDC.Providers = make(map[string]*OIDCProvider, len(section))
	for name := range section {
		if !providerName.MatchString(name) {
			return invalidf(providersSection, "%q is not a provider name: a lower-case letter, then up to 31 lower-case letters, digits or underscores", name)
		}
		c.OIDC.Providers[name] = &OIDCProvider{}
	}
	return nil
}

// absoluteURL binds an optional absolute http(s) URL.
func absoluteURL(p *string) binder {
	return field(p, scalarOf(asString[string]), func(v string) error {
		if v == "" {
			return nil
		}
		if _, err := parseHTTPURL(v); err != nil {
			return err
		}
		return nil
	}, showString[string])
}

// publicURL binds an optional origin: scheme://host[:port], no path.
func publicURL(p *string) binder {
	return field(p, scalarOf(asString[string]), func(v string) error {
		if v == "" {
			return nil
		}
		u, err := parseHTTPURL(v)
		if err != nil {
			return err
		}
		if strings.TrimSuffix(u.Path, "/") != "" || u.RawQuery != "" {
			return errors.New("must be an origin, scheme://host[:port], without a path")
		}
		return nil
	}, showString[string])
}

func parseHTTPURL(v string) (*url.URL, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, errors.New("must be an absolute http:// or https:// URL")
	}
	return u, nil
}

// redirectList binds the front-end URLs a sign-in may return to: each an
// absolute http(s) URL without query or fragment.
func redirectList(p *[]string) binder {
	return field(p, items, func(v []string) error {
		for _, item := range v {
			u, err := parseHTTPURL(item)
			if err != nil || u.RawQuery != "" || u.ForceQuery || strings.Contains(item, "#") {
				return fmt.Errorf("%q must be an absolute http(s) URL without query or fragment", item)
			}
		}
		return nil
	}, func(v []string) any { return append([]string{}, v...) })
}

// scopes binds a scope list: a YAML list, or one string of scopes
// separated by spaces (as OAuth writes them) or commas.
func scopes(p *[]string) binder {
	read := func(raw any) ([]string, error) {
		if s, ok := raw.(string); ok {
			raw = strings.Join(strings.Fields(strings.ReplaceAll(s, ",", " ")), ",")
		}
		return items(raw)
	}
	return field(p, read, func(v []string) error {
		if !slices.Contains(v, "openid") {
			return errors.New(`must include "openid"`)
		}
		return nil
	}, func(v []string) any { return strings.Join(v, " ") })
}

// validateOIDC: a configured provider needs its client id and issuer, and
// sign-in needs authd's public URL (for the redirect URI) and somewhere to
// return to. In production the issuer and public URL must be https.
func (c *Config) validateOIDC() error {
	if len(c.OIDC.Providers) == 0 {
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(c.OIDC.Providers)) {
		p := c.OIDC.Providers[name]
		key := providersSection + "." + name + "."
		if strings.TrimSpace(p.ClientID) == "" {
			return invalidf(key+"client_id", "is required")
		}
		if p.Issuer == "" {
			return invalidf(key+"issuer", "is required")
		}
		if c.IsProduction() && !strings.HasPrefix(p.Issuer, "https://") {
			return invalidf(key+"issuer", "must be https in production")
		}
	}
	if c.HTTP.PublicURL == "" {
		return invalidf("http.public_url", "is required when oidc.providers are configured: providers send the browser back to it")
	}
	if c.IsProduction() && !strings.HasPrefix(c.HTTP.PublicURL, "https://") {
		return invalidf("http.public_url", "must be https in production")
	}
	if len(c.OIDC.AllowedRedirects) == 0 {
		return invalidf("oidc.allowed_redirects", "is required when oidc.providers are configured: a sign-in must return somewhere")
	}
	return nil
}
