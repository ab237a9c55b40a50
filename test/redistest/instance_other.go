//go:build !unix

package redistest

import (
	"errors"
	"net/url"
)

// instance is not available off Unix; use AUTHD_TEST_REDIS_URL.
type instance struct{}

func newInstance(...string) (*instance, error) {
	return nil, errors.New("starting a throwaway redis-server needs a Unix system: set " + EnvURL)
}

func (in *instance) url() *url.URL { return nil }
func (in *instance) run() error    { return errors.New("not supported") }
func (in *instance) halt()         {}
func (in *instance) remove() error { return nil }
