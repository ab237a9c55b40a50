package config

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

const providersFile = `
http:
  public_url: https://auth.example.com
oidc:
  allowed_redirects:
    - https://app.example.com/signed-in
  providers:
    google:
      client_id: google-client
      client_secret: file-secret
    corp_idp:
      issuer: https://id.corp.example
      client_id: corp-client
      scopes: [openid, email]
      link_by_email: false
      allow_signup: false
`

func TestProvidersComeFromTheFileWithTheirDefaults(t *testing.T) {
	cfg := mustLoad(t, writeFile(t, "authd.yaml", providersFile), nil)
	if len(cfg.OIDC.Providers) != 2 || cfg.HTTP.PublicURL != "https://auth.example.com" || cfg.OIDC.Timeout != 10*time.Second {
		t.Fatalf("oidc = %+v, public url %q", cfg.OIDC, cfg.HTTP.PublicURL)
	}
	g := cfg.OIDC.Providers["google"]
	if g.Issuer != "https://accounts.google.com" || g.ClientID != "google-client" || g.ClientSecret.Reveal() != "file-secret" ||
		!slices.Equal(g.Scopes, []string{"openid", "email", "profile"}) || !g.LinkByEmail || !g.AllowSignup {
		t.Errorf("google = %+v", *g)
	}
	c := cfg.OIDC.Providers["corp_idp"]
	if c.Issuer != "https://id.corp.example" || !slices.Equal(c.Scopes, []string{"openid", "email"}) || c.LinkByEmail || c.AllowSignup || c.ClientSecret != "" {
		t.Errorf("corp_idp = %+v", *c)
	}
	masked := cfg.Masked()
	if masked["oidc.providers.google.client_secret"] != "***" || masked["oidc.providers.corp_idp.client_secret"] != "" ||
		masked["oidc.providers.google.scopes"] != "openid email profile" {
		t.Errorf("masked: secret %v, scopes %v", masked["oidc.providers.google.client_secret"], masked["oidc.providers.google.scopes"])
	}
}

func TestEveryProviderKeyOverridesFromEnv(t *testing.T) {
	cfg := mustLoad(t, writeFile(t, "authd.yaml", providersFile), map[string]string{
		"AUTHD_OIDC_PROVIDERS_GOOGLE_CLIENT_SECRET":  "env-secret",
		"AUTHD_OIDC_PROVIDERS_GOOGLE_CLIENT_ID":      "env-client",
		"AUTHD_OIDC_PROVIDERS_GOOGLE_ISSUER":         "https://accounts.example.org",
		"AUTHD_OIDC_PROVIDERS_GOOGLE_SCOPES":         "openid email",
		"AUTHD_OIDC_PROVIDERS_GOOGLE_LINK_BY_EMAIL":  "false",
		"AUTHD_OIDC_PROVIDERS_GOOGLE_ALLOW_SIGNUP":   "false",
		"AUTHD_OIDC_PROVIDERS_CORP_IDP_ALLOW_SIGNUP": "true",
		// The environment cannot name a provider of its own.
		"AUTHD_OIDC_PROVIDERS_GITHUB_CLIENT_ID": "ignored",
	})
	g := cfg.OIDC.Providers["google"]
	if g.ClientSecret.Reveal() != "env-secret" || g.ClientID != "env-client" || g.Issuer != "https://accounts.example.org" ||
		!slices.Equal(g.Scopes, []string{"openid", "email"}) || g.LinkByEmail || g.AllowSignup {
		t.Errorf("google = %+v", *g)
	}
	if !cfg.OIDC.Providers["corp_idp"].AllowSignup {
		t.Error("corp_idp.allow_signup not overridden")
	}
	if _, ok := cfg.OIDC.Providers["github"]; ok {
		t.Error("the environment named a provider")
	}
}

func TestProviderConfigurationErrors(t *testing.T) {
	base := func(providers string) string {
		return "http:\n  public_url: https://auth.example.com\noidc:\n  allowed_redirects: [https://app.example.com/cb]\n  providers:\n" + providers
	}
	cases := map[string]struct{ file, want string }{
		"unknown provider key":   {base("    google:\n      client_id: x\n      clientid: y\n"), "config: oidc.providers.google.clientid: unknown key"},
		"bad provider name":      {base("    Google-SSO:\n      client_id: x\n"), "config: oidc.providers: \"google-sso\" is not a provider name"},
		"providers not sections": {base("    google: yes\n"), "config: oidc.providers.google: is a section"},
		"no client id":           {base("    google:\n      client_secret: x\n"), "config: oidc.providers.google.client_id: is required"},
		"no issuer":              {base("    corp:\n      client_id: x\n"), "config: oidc.providers.corp.issuer: is required"},
		"issuer not a URL":       {base("    corp:\n      client_id: x\n      issuer: id.corp.example\n"), "config: oidc.providers.corp.issuer: must be an absolute"},
		"scopes without openid":  {base("    google:\n      client_id: x\n      scopes: email profile\n"), `config: oidc.providers.google.scopes: must include "openid"`},
		"no public url": {"oidc:\n  allowed_redirects: [https://app.example.com/cb]\n  providers:\n    google:\n      client_id: x\n",
			"config: http.public_url: is required when oidc.providers are configured"},
		"no allowed redirects": {"http:\n  public_url: https://auth.example.com\noidc:\n  providers:\n    google:\n      client_id: x\n",
			"config: oidc.allowed_redirects: is required when oidc.providers are configured"},
		"redirect with fragment": {"oidc:\n  allowed_redirects: ['https://app.example.com/cb#x']\n", "config: oidc.allowed_redirects: \"https://app.example.com/cb#x\" must be"},
		"public url with a path": {"http:\n  public_url: https://auth.example.com/auth\n", "config: http.public_url: must be an origin"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := LoadFrom(writeFile(t, "authd.yaml", tc.file), nil)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q...", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
		})
	}
}

func TestProductionNeedsHTTPSForSignIn(t *testing.T) {
	file := writeFile(t, "authd.yaml", "env: production\ndatabase:\n  url: postgres://db/authd\nhttp:\n  public_url: http://auth.example.com\n"+
		"oidc:\n  allowed_redirects: [https://app.example.com/cb]\n  providers:\n    google:\n      client_id: x\n")
	if _, err := LoadFrom(file, nil); err == nil || !strings.HasPrefix(err.Error(), "config: http.public_url: must be https in production") {
		t.Fatalf("err = %v", err)
	}
	_, err := LoadFrom(file, env(map[string]string{
		"AUTHD_HTTP_PUBLIC_URL": "https://auth.example.com", "AUTHD_OIDC_PROVIDERS_GOOGLE_ISSUER": "http://accounts.example.org",
	}))
	if err == nil || !strings.HasPrefix(err.Error(), "config: oidc.providers.google.issuer: must be https in production") {
		t.Fatalf("err = %v", err)
	}
}

func TestNoProvidersNeedNothing(t *testing.T) {
	cfg := mustLoad(t, "", nil)
	if cfg.OIDC.Providers != nil || cfg.HTTP.PublicURL != "" {
		t.Fatalf("defaults: %+v", cfg.OIDC)
	}
}

// Every field of OIDCProvider is filled by exactly one of its settings.
func TestEveryProviderFieldIsBoundOnce(t *testing.T) {
	p := &OIDCProvider{}
	bound := map[uintptr]string{}
	for _, s := range p.settings("x") {
		ptr := reflect.ValueOf(s.bind.target).Pointer()
		if other, dup := bound[ptr]; dup {
			t.Errorf("%s and %s fill the same field", other, s.key)
		}
		bound[ptr] = s.key
	}
	v := reflect.ValueOf(p).Elem()
	for i := range v.NumField() {
		if _, ok := bound[v.Field(i).Addr().Pointer()]; !ok {
			t.Errorf("OIDCProvider.%s has no setting", v.Type().Field(i).Name)
		}
	}
}
