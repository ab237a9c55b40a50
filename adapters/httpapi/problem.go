package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
)

// problemContentType is the media type of RFC 9457 problem details.
const problemContentType = "application/problem+json"

// problemTypePrefix makes each stable code a URI for the "type" member.
const problemTypePrefix = "urn:authd:problem:"

// problem is an RFC 9457 problem details document with the contract's
// extension members code and errors.
type problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail,omitempty"`
	Code   string         `json:"code"`
	Errors []fieldProblem `json:"errors,omitempty"`
}

// fieldProblem names one invalid request field.
type fieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func newProblem(status int, code, detail string) problem {
	return problem{
		Type:   problemTypePrefix + code,
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Code:   code,
	}
}

// writeProblem sends p and stops the handler chain.
func writeProblem(c *gin.Context, p problem) {
	body, err := json.Marshal(p)
	if err != nil {
		// Only strings and ints go in, so this cannot happen; stay correct anyway.
		body = []byte(`{"type":"urn:authd:problem:internal","title":"Internal Server Error","status":500,"code":"internal"}`)
		p.Status = http.StatusInternalServerError
	}
	c.Abort()
	c.Data(p.Status, problemContentType, body)
}
