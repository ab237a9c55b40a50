package httpapi

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/authd/authd/adapters/httpapi/docsui"
)

// docsCSP is the Content-Security-Policy of /docs and its assets, the only
// responses that do not get the strict default-src 'none': Swagger UI loads
// its own script and style sheet, shows images from its CSS (some as data:
// URLs), and fetches /openapi.json and, for "Try it out", this API. Scripts
// come from files only ('self', no inline script, no eval), and the page
// still cannot be framed or post forms.
const docsCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// openAPIDocument: GET /openapi.json, the document built at startup.
func (a *api) openAPIDocument(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", a.openapi)
}

// docsPage: GET /docs, the page that renders /openapi.json.
func (a *api) docsPage(c *gin.Context) {
	c.Header("Content-Security-Policy", docsCSP)
	c.Data(http.StatusOK, "text/html; charset=utf-8", docsui.Page())
}

// docsAsset: GET /docs/assets/:name. The large files are stored compressed
// and sent as they are to clients that accept gzip (every browser), and
// decompressed for the others.
func (a *api) docsAsset(c *gin.Context) {
	asset, ok := docsui.Lookup(c.Param("name"))
	if !ok {
		a.fail(c, errRouteNotFound)
		return
	}
	c.Header("Content-Security-Policy", docsCSP)
	c.Header("Cache-Control", "public, max-age=86400")
	if !asset.Gzipped {
		c.Data(http.StatusOK, asset.ContentType, asset.Body)
		return
	}
	c.Writer.Header().Add("Vary", "Accept-Encoding")
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		c.Header("Content-Encoding", "gzip")
		c.Data(http.StatusOK, asset.ContentType, asset.Body)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(asset.Body))
	if err != nil {
		a.fail(c, err)
		return
	}
	defer zr.Close()
	c.DataFromReader(http.StatusOK, -1, asset.ContentType, zr, nil)
}

// acceptsGzip reads an Accept-Encoding header (RFC 9110 §12.5.3): gzip (or
// x-gzip, or *) listed with a weight other than 0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		if q == "q=0" || strings.HasPrefix(q, "q=0.") && strings.Trim(q[len("q=0."):], "0") == "" {
			continue
		}
		return true
	}
	return false
}
