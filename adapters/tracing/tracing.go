// Package tracing exports OpenTelemetry spans of HTTP requests (otelgin)
// and SQL statements (a GORM plugin of its own: the published one imports
// the ClickHouse and MySQL drivers) to an OTLP/HTTP collector. It is
// built only when tracing.otlp_endpoint is set: without it no exporter,
// no middleware and no plugin exist, so tracing costs nothing.
package tracing

import (
	"context"
	"errors"
	"net/url"

	"github.com/gin-gonic/gin"
	"go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"gorm.io/gorm"
)

// serviceName names authd's spans and resource.
const serviceName = "authd"

// Tracing is a tracer provider exporting to one OTLP/HTTP collector.
type Tracing struct {
	provider *sdktrace.TracerProvider
}

// New starts a provider whose spans are batched to the collector at
// endpoint, an http(s) base URL; "/v1/traces" is added when it has no path.
// Incoming W3C trace context (traceparent) is continued.
func New(endpoint, version string) (*Tracing, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The URL may hold credentials: it is not quoted.
		return nil, errors.New("tracing: the OTLP endpoint must be an http:// or https:// URL")
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/traces"
	}
	exporter, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(u.String()))
	if err != nil {
		return nil, errors.New("tracing: cannot build the OTLP exporter")
	}
	res := resource.NewSchemaless(semconv.ServiceName(serviceName), semconv.ServiceVersion(version))
	return &Tracing{provider: sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exporter),
		sdktrace.WithResource(res),
	)}, nil
}

// Gin is the middleware that opens a span per request, named by the route
// template.
func (t *Tracing) Gin() gin.HandlerFunc {
	return otelgin.Middleware(serviceName,
		otelgin.WithTracerProvider(t.provider),
		otelgin.WithPropagators(propagation.TraceContext{}),
	)
}

// GORM is the plugin that opens a span per SQL statement, a child of the
// request's span. Bound values (password hashes among them) are never
// recorded, only the statement with its placeholders.
func (t *Tracing) GORM() gorm.Plugin {
	return gormPlugin{tracer: t.provider.Tracer("authd/gormstore")}
}

// Shutdown sends the spans still buffered and stops the exporter.
func (t *Tracing) Shutdown(ctx context.Context) error { return t.provider.Shutdown(ctx) }
