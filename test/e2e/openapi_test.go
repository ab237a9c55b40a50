package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/authd/authd/adapters/httpapi/openapi"
)

// Every request the suite sends to a test server, and every response it
// gets, is checked against the OpenAPI document (the same bytes the server
// serves at /openapi.json) by the client's transport, so an undocumented
// field, status, header or problem code fails the test that saw it, and no
// test needs to ask.
//
// What the validator cannot express is handled here, narrowly:
//
//   - A request the document says is invalid (a malformed body, a missing
//     bearer token, a non-UUID id: the suite sends many on purpose) must be
//     refused: its answer must be a 4xx, which is then validated like any
//     other response.
//   - The router's own answers for any path are not operations of the
//     document: an unknown path (404), a known path with another method
//     (405, with Allow) and a CORS preflight (204, or 403). The document
//     describes them once in components.responses (RouteNotFound,
//     MethodNotAllowed, PreflightRefused, OpsRateLimited, OpsInternal); their
//     bodies are validated against those schemas and their required headers
//     checked. Paths are matched exactly, as gin does (case, trailing slash).

// openAPISpec is the document, loaded once for the whole suite.
type openAPISpec struct {
	// mu serialises validations: the validator's caches are shared, and a
	// race inside a library would fail the suite under -race.
	mu        sync.Mutex
	validator validator.Validator
	schemas   schema_validation.SchemaValidator
	model     *v3.Document
	routes    []specRoute
}

// specRoute matches one path of the document exactly.
type specRoute struct {
	pattern *regexp.Regexp
	item    *v3.PathItem
}

var loadSpec = sync.OnceValues(func() (*openAPISpec, error) {
	raw, err := openapi.JSON()
	if err != nil {
		return nil, err
	}
	doc, err := libopenapi.NewDocument(raw)
	if err != nil {
		return nil, err
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, err
	}
	opts := []config.Option{config.WithFormatAssertions()}
	v, errs := validator.NewValidator(doc, opts...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("build validator: %v", errs)
	}
	s := &openAPISpec{
		validator: v,
		schemas:   schema_validation.NewSchemaValidator(opts...),
		model:     &model.Model,
	}
	param := regexp.MustCompile(`\\\{[^/]+\\\}`)
	for p := model.Model.Paths.PathItems.First(); p != nil; p = p.Next() {
		pattern := "^" + param.ReplaceAllString(regexp.QuoteMeta(p.Key()), "[^/]+") + "$"
		s.routes = append(s.routes, specRoute{pattern: regexp.MustCompile(pattern), item: p.Value()})
	}
	return s, nil
})

// validatingTransport checks every exchange with host against the
// document, reporting to the test that sent the request (or else to t).
type validatingTransport struct {
	t    testing.TB
	host string
	next http.RoundTripper
}

func newValidatingClient(t testing.TB, host string, client *http.Client) *http.Client {
	next := client.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c := *client
	c.Transport = &validatingTransport{t: t, host: host, next: next}
	return &c
}

type tbKey struct{}

// withTB makes failures found in the exchange of req appear in t's output.
func withTB(req *http.Request, t testing.TB) *http.Request {
	return req.WithContext(context.WithValue(req.Context(), tbKey{}, t))
}

func (vt *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != vt.host {
		return vt.next.RoundTrip(req)
	}
	t := vt.t
	if tb, ok := req.Context().Value(tbKey{}).(testing.TB); ok {
		t = tb
	}
	var reqBody []byte
	if req.Body != nil {
		var err error
		if reqBody, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		sent := req.Clone(req.Context())
		// A reader without a known length keeps a chunked request chunked.
		sent.Body = io.NopCloser(io.MultiReader(bytes.NewReader(reqBody)))
		req = sent
	}
	res, err := vt.next.RoundTrip(req)
	if err != nil {
		return res, err
	}
	resBody, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(resBody))

	spec, err := loadSpec()
	if err != nil {
		t.Errorf("OpenAPI document: %v", err)
		return res, nil
	}
	for _, problem := range spec.check(req, reqBody, res, resBody) {
		t.Errorf("OpenAPI: %s %s -> %d: %s\nresponse body: %.600s", req.Method, req.URL.RequestURI(), res.StatusCode, problem, resBody)
	}
	return res, nil
}

// check returns what is wrong with one exchange, nothing when it is all
// as documented.
func (s *openAPISpec) check(req *http.Request, reqBody []byte, res *http.Response, resBody []byte) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.Method == http.MethodOptions && req.Header.Get("Origin") != "" && req.Header.Get("Access-Control-Request-Method") != "" {
		if res.StatusCode == http.StatusNoContent && len(resBody) == 0 {
			return nil
		}
		return s.checkRouterAnswer(res, resBody, map[int]string{http.StatusForbidden: "PreflightRefused"})
	}
	item := s.match(req.URL.Path)
	if item == nil {
		return s.checkRouterAnswer(res, resBody, map[int]string{
			http.StatusNotFound: "RouteNotFound", http.StatusTooManyRequests: "OpsRateLimited", http.StatusInternalServerError: "OpsInternal",
		})
	}
	if _, ok := item.GetOperations().Get(strings.ToLower(req.Method)); !ok {
		return s.checkRouterAnswer(res, resBody, map[int]string{
			http.StatusMethodNotAllowed: "MethodNotAllowed", http.StatusTooManyRequests: "OpsRateLimited", http.StatusInternalServerError: "OpsInternal",
		})
	}

	var problems []string
	if ok, errs := s.validator.ValidateHttpRequestSync(withBody(req, reqBody)); !ok {
		// The document says this request is invalid: the server must refuse it.
		if res.StatusCode < 400 || res.StatusCode > 499 {
			problems = append(problems, "a request the document calls invalid was not refused with a 4xx: "+describe(errs))
		}
	}
	resCopy := *res
	resCopy.Body = io.NopCloser(bytes.NewReader(resBody))
	if ok, errs := s.validator.ValidateHttpResponse(withBody(req, reqBody), &resCopy); !ok {
		problems = append(problems, "response: "+describe(errs))
	}
	return problems
}

// match finds the document's path item for path, matched as gin does.
func (s *openAPISpec) match(path string) *v3.PathItem {
	for _, r := range s.routes {
		if r.pattern.MatchString(path) {
			return r.item
		}
	}
	return nil
}

// checkRouterAnswer validates an answer the router gives on any path
// against the components.responses entry named for its status.
func (s *openAPISpec) checkRouterAnswer(res *http.Response, body []byte, byStatus map[int]string) []string {
	name, ok := byStatus[res.StatusCode]
	if !ok {
		return []string{"status " + strconv.Itoa(res.StatusCode) + " is not documented for this answer of the router"}
	}
	resp := s.model.Components.Responses.GetOrZero(name)
	if resp == nil {
		return []string{"components.responses." + name + " is missing"}
	}
	var problems []string
	for h := resp.Headers.First(); h != nil; h = h.Next() {
		if h.Value().Required && res.Header.Get(h.Key()) == "" {
			problems = append(problems, "required header "+h.Key()+" missing ("+name+")")
		}
	}
	mediaType := strings.TrimSpace(strings.Split(res.Header.Get("Content-Type"), ";")[0])
	content := resp.Content.GetOrZero(mediaType)
	if content == nil || content.Schema == nil {
		return append(problems, "Content-Type "+mediaType+" is not documented ("+name+")")
	}
	if ok, errs := s.schemas.ValidateSchemaBytesWithVersion(content.Schema.Schema(), body, 3.1); !ok {
		problems = append(problems, name+": "+describe(errs))
	}
	return problems
}

// withBody returns a copy of req whose body can be read again.
func withBody(req *http.Request, body []byte) *http.Request {
	c := req.Clone(req.Context())
	c.Body = io.NopCloser(bytes.NewReader(body))
	if body == nil {
		c.Body = http.NoBody
	}
	return c
}

func describe(errs []*liberrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  - %s: %s", e.Message, e.Reason)
		for _, f := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n      %s (at %s, %s)", f.Reason, f.FieldPath, f.KeywordLocation)
		}
	}
	return b.String()
}
