package httpapi

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/authd/authd/adapters/httpapi/openapi"
)

// notServedYet lists the operations the OpenAPI document describes that
// the router does not serve yet: every feature of the contract is served,
// so none. TestOpenAPICoversEveryRoute fails if one is listed and served.
var notServedYet = []string{}

// openAPIDocument is the served document, decoded as plain JSON.
type openAPIDocument struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Enum []string `json:"enum"`
		} `json:"schemas"`
	} `json:"components"`
}

func loadOpenAPI(t *testing.T) openAPIDocument {
	t.Helper()
	raw, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPIDocument
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// documentedOperations lists "METHOD /path" for every operation of the document.
func documentedOperations(doc openAPIDocument) []string {
	var out []string
	for path, item := range doc.Paths {
		for key := range item {
			switch key {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				out = append(out, strings.ToUpper(key)+" "+path)
			}
		}
	}
	slices.Sort(out)
	return out
}

// servedOperations lists "METHOD /path" for every route of the router, in
// the document's notation ({id} for gin's :id).
func servedOperations(t *testing.T) []string {
	t.Helper()
	engine, ok := newHarness(t, bodyOpts()).h.(*gin.Engine)
	if !ok {
		t.Fatal("NewHandler did not return the gin engine")
	}
	var out []string
	for _, r := range engine.Routes() {
		segments := strings.Split(r.Path, "/")
		for i, s := range segments {
			if name, ok := strings.CutPrefix(s, ":"); ok {
				segments[i] = "{" + name + "}"
			}
		}
		out = append(out, r.Method+" "+strings.Join(segments, "/"))
	}
	slices.Sort(out)
	return out
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	documented := documentedOperations(loadOpenAPI(t))
	served := servedOperations(t)
	if len(served) < 20 {
		t.Fatalf("only %d routes served: %v", len(served), served)
	}
	for _, op := range served {
		if !slices.Contains(documented, op) {
			t.Errorf("%s is served but not in the OpenAPI document", op)
		}
		if slices.Contains(notServedYet, op) {
			t.Errorf("%s is served now: remove it from notServedYet", op)
		}
	}
	for _, op := range documented {
		if !slices.Contains(served, op) && !slices.Contains(notServedYet, op) {
			t.Errorf("%s is in the OpenAPI document but not served (nor listed in notServedYet)", op)
		}
	}
	for _, op := range notServedYet {
		if !slices.Contains(documented, op) {
			t.Errorf("notServedYet names %s, which the document does not describe", op)
		}
	}
}

func TestOpenAPINamesEveryProblemCode(t *testing.T) {
	codes := loadOpenAPI(t).Components.Schemas["ProblemCode"].Enum
	if len(codes) == 0 {
		t.Fatal("the document has no ProblemCode enum")
	}
	// Every code authd answers with: the error table, and the two written
	// outside it (internal for unknown errors and /readyz).
	produced := []string{"internal"}
	for _, m := range errorTable {
		produced = append(produced, m.code)
	}
	// The contract's v1.1 codes, produced once those features land.
	produced = append(produced, "email_not_verified", "verification_invalid", "mail_disabled",
		"redirect_not_allowed", "state_invalid", "last_sign_in_method")
	for _, code := range produced {
		if !slices.Contains(codes, code) {
			t.Errorf("problem code %q is not in the document's ProblemCode enum", code)
		}
	}
}
