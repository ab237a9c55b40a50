package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/viper"
)

// Load reads the configuration from the defaults, the optional YAML file
// (skipped when file is "") and the process environment, then validates it.
// Errors are one line that names the offending key and never its value.
func Load(file string) (*Config, error) {
	return LoadFrom(file, os.LookupEnv)
}

// LoadFrom is Load with the environment supplied by lookupEnv (nil means no
// environment at all), so tests need not touch the process environment.
// LoadFrom("", nil) returns the defaults.
//
// A variable that is set but empty counts: AUTHD_METRICS_ADDR= disables the
// metrics listener. AUTHD_* variables matching no key are ignored.
func LoadFrom(file string, lookupEnv func(string) (string, bool)) (*Config, error) {
	cfg := &Config{}
	// The file is read first: the providers it names add settings.
	var fv *viper.Viper
	if file != "" {
		var err error
		if fv, err = readFile(file); err != nil {
			return nil, err
		}
		if err := cfg.discoverProviders(fv); err != nil {
			return nil, err
		}
	}
	table := cfg.settings()
	// A private instance: the package-level viper is global state.
	v := viper.New()
	for _, s := range table {
		v.SetDefault(s.key, s.defaultValue())
	}
	if fv != nil {
		if err := mergeFile(v, fv, file, table); err != nil {
			return nil, err
		}
	}
	if lookupEnv != nil {
		applyEnv(v, table, lookupEnv)
	}
	// Keys are decoded in declaration order, so the error names the first bad one.
	for _, s := range table {
		if err := s.bind.parse(v.Get(s.key)); err != nil {
			return nil, invalid(s.key, err)
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// readFile reads file into a viper of its own, so that its keys can be
// checked against the table (a typo such as jwt.algoritm would otherwise be
// silently ignored) before it is merged.
func readFile(file string) (*viper.Viper, error) {
	fv := viper.New()
	fv.SetConfigFile(file)
	if filepath.Ext(file) == "" {
		fv.SetConfigType("yaml")
	}
	if err := fv.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("config: read %s: %w", file, err)
	}
	return fv, nil
}

// mergeFile checks the file's keys against the table, then merges it above
// the defaults.
func mergeFile(v *viper.Viper, fv *viper.Viper, file string, table []setting) error {
	if err := checkFileKeys(fv, file, table); err != nil {
		return err
	}
	return v.MergeConfigMap(fv.AllSettings())
}

// checkFileKeys refuses keys that are not settings. A section name (cors:)
// left empty is fine; a section given a plain value (http: 8080) is not.
func checkFileKeys(fv *viper.Viper, file string, table []setting) error {
	known := make(map[string]bool, len(table))
	sections := make(map[string]bool)
	for _, s := range table {
		known[s.key] = true
		for i, c := range s.key {
			if c == '.' {
				sections[s.key[:i]] = true
			}
		}
	}
	keys := fv.AllKeys()
	slices.Sort(keys)
	for _, k := range keys {
		switch {
		case known[k]:
		case sections[k] && fv.Get(k) == nil:
		case sections[k]:
			return fmt.Errorf("config: %s: is a section in %s, not a single value", k, file)
		default:
			return fmt.Errorf("config: %s: unknown key in %s", k, file)
		}
	}
	return nil
}

// applyEnv lays AUTHD_* variables over the file and defaults. viper's own
// AutomaticEnv reads only the process environment; setting the values
// explicitly keeps tests hermetic and gives the same precedence. Values stay
// strings: each setting's parser reads them (a list splits at commas).
func applyEnv(v *viper.Viper, table []setting, lookupEnv func(string) (string, bool)) {
	for _, s := range table {
		if raw, ok := lookupEnv(envName(s.key)); ok {
			v.Set(s.key, raw)
		}
	}
}
