package openapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel"

	"github.com/authd/authd/adapters/httpapi/openapi"
)

// load parses the served (JSON) form of the document, as clients see it.
func load(t *testing.T) libopenapi.Document {
	t.Helper()
	raw, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := libopenapi.NewDocument(raw)
	if err != nil {
		t.Fatalf("libopenapi cannot read the document: %v", err)
	}
	return doc
}

func TestDocumentIsValidOpenAPI31(t *testing.T) {
	doc := load(t)
	if got := doc.GetSpecInfo().SpecFormat; got != datamodel.OAS31 {
		t.Fatalf("document format %q, want %q", got, datamodel.OAS31)
	}
	if ok, errs := schema_validation.ValidateOpenAPIDocument(doc); !ok {
		for _, e := range errs {
			t.Errorf("%s: %s", e.Message, e.Reason)
			for _, f := range e.SchemaValidationErrors {
				t.Errorf("  %s at %s (%s)", f.Reason, f.FieldPath, f.KeywordLocation)
			}
		}
	}
	if _, errs := doc.BuildV3Model(); errs != nil {
		t.Fatalf("building the model: %v", errs)
	}
	// Building a validator compiles every schema of the document.
	if _, errs := validator.NewValidator(doc); len(errs) > 0 {
		t.Fatalf("building a validator: %v", errs)
	}
}

func TestJSONIsTheYAMLDocument(t *testing.T) {
	raw, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("served document is not JSON: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	paths, _ := doc["paths"].(map[string]any)
	if len(paths) == 0 || paths["/v1/auth/login"] == nil {
		t.Fatalf("paths lost in the conversion: %v", doc["paths"])
	}
	// Keys keep their written order: the docs page lists paths as the file does.
	if i, j := strings.Index(string(raw), `"/healthz"`), strings.Index(string(raw), `"/v1/admin/audit"`); i < 0 || j < i {
		t.Errorf("path order not kept: /healthz at %d, /v1/admin/audit at %d", i, j)
	}
	if !strings.Contains(string(openapi.YAML()), "openapi: 3.1.0") {
		t.Error("YAML() is not the written document")
	}
}
