//go:build !unix

package pgtest

import (
	"errors"
	"net/url"
)

// cluster is not available off Unix; use AUTHD_TEST_DATABASE_URL.
type cluster struct{}

func startCluster() (*cluster, error) {
	return nil, errors.New("starting a throwaway PostgreSQL needs a Unix system: set " + EnvDatabaseURL)
}

func (c *cluster) url() *url.URL { return nil }
func (c *cluster) stop() error   { return nil }
