// Package openapi holds the OpenAPI 3.1 document of authd's HTTP API. It is
// written by hand as YAML beside the handlers it describes, embedded in the
// binary, and served as JSON at /openapi.json. The project's tests keep it
// honest: it must be valid OpenAPI 3.1, name every route the router serves,
// and accept every request and response of the end-to-end suite.
package openapi

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/goccy/go-yaml"
)

//go:embed openapi.yaml
var document []byte

// YAML returns the document as written.
func YAML() []byte { return bytes.Clone(document) }

// JSON returns the document converted to compact JSON, keys in the order
// they are written (so paths appear in the docs page as they do in the
// file). The conversion runs once; callers must not modify the result.
func JSON() ([]byte, error) { return toJSON() }

var toJSON = sync.OnceValues(func() ([]byte, error) {
	raw, err := yaml.YAMLToJSON(document)
	if err != nil {
		return nil, fmt.Errorf("openapi: convert the document to JSON: %w", err)
	}
	var out bytes.Buffer
	if err := json.Compact(&out, raw); err != nil {
		return nil, fmt.Errorf("openapi: the converted document is not JSON: %w", err)
	}
	return out.Bytes(), nil
})
