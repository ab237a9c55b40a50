package openapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/authd/authd/adapters/httpapi/openapi"
)

type object = map[string]any

func decode(t *testing.T) object {
	t.Helper()
	raw, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc object
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// resolve follows a local $ref ("#/components/responses/X").
func resolve(doc object, v any) object {
	o, _ := v.(object)
	ref, ok := o["$ref"].(string)
	if !ok {
		return o
	}
	cur := any(doc)
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		cur = cur.(object)[part]
	}
	return cur.(object)
}

// Every object schema that names its properties is closed, so that an
// undocumented member fails validation. Only the document itself (the
// answer of /openapi.json) is left open.
func TestEverySchemaObjectIsClosed(t *testing.T) {
	doc := decode(t)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch n := v.(type) {
		case object:
			if _, has := n["properties"]; has && n["type"] == "object" {
				if n["additionalProperties"] != false && !strings.Contains(path, "/openapi.json") {
					t.Errorf("%s: an object schema without additionalProperties: false", path)
				}
			}
			for k, child := range n {
				walk(path+"/"+k, child)
			}
		case []any:
			for _, child := range n {
				walk(path+"/[]", child)
			}
		}
	}
	walk("#", doc)
}

// Every response of every operation declares the headers the server always
// sends with it: X-Request-ID; Cache-Control: no-store under /v1/; a
// challenge with every 401; Retry-After with every 429 and 503, except a
// 503 that may be mail_disabled, which retrying cannot cure: that one
// declares Retry-After as present with its other codes.
func TestEveryResponseDeclaresItsHeaders(t *testing.T) {
	doc := decode(t)
	paths := doc["paths"].(object)
	count := 0
	for path, item := range paths {
		for method, op := range item.(object) {
			opObj, ok := op.(object)
			if !ok || method == "parameters" {
				continue
			}
			for status, r := range opObj["responses"].(object) {
				count++
				resp := resolve(doc, r)
				headers, _ := resp["headers"].(object)
				where := method + " " + path + " " + status
				require := func(name string) {
					h := resolve(doc, headers[name])
					if h == nil || h["required"] != true {
						t.Errorf("%s: header %s not declared as required", where, name)
					}
				}
				require("X-Request-ID")
				if strings.HasPrefix(path, "/v1/") {
					require("Cache-Control")
				}
				switch status {
				case "401":
					require("WWW-Authenticate")
				case "429", "503":
					switch {
					case path == "/readyz":
					case status == "503" && headers["Retry-After"] != nil &&
						resolve(doc, headers["Retry-After"])["description"] != nil &&
						strings.Contains(resolve(doc, headers["Retry-After"])["description"].(string), "mail_disabled"):
						// Declared, and optional only for mail_disabled.
					default:
						require("Retry-After")
					}
				case "302":
					require("Location")
				}
			}
		}
	}
	if count < 100 {
		t.Fatalf("only %d responses found", count)
	}
}
