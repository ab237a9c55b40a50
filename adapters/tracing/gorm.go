package tracing

import (
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"gorm.io/gorm"
)

// spanKey holds a statement's span between GORM's before and after
// callbacks.
const spanKey = "authd:tracing:span"

// gormPlugin opens a client span per statement: GORM's own callbacks, no
// wrapped driver. Only the statement with its placeholders is recorded,
// never the bound values (password hashes among them).
type gormPlugin struct {
	tracer trace.Tracer
}

func (gormPlugin) Name() string { return "authd:tracing" }

// Initialize registers the callbacks around every kind of statement.
func (p gormPlugin) Initialize(db *gorm.DB) error {
	cb := db.Callback()
	return errors.Join(
		cb.Create().Before("gorm:create").Register("authd:tracing:before_create", p.start("create")),
		cb.Create().After("gorm:create").Register("authd:tracing:after_create", end),
		cb.Query().Before("gorm:query").Register("authd:tracing:before_query", p.start("query")),
		cb.Query().After("gorm:query").Register("authd:tracing:after_query", end),
		cb.Update().Before("gorm:update").Register("authd:tracing:before_update", p.start("update")),
		cb.Update().After("gorm:update").Register("authd:tracing:after_update", end),
		cb.Delete().Before("gorm:delete").Register("authd:tracing:before_delete", p.start("delete")),
		cb.Delete().After("gorm:delete").Register("authd:tracing:after_delete", end),
		cb.Row().Before("gorm:row").Register("authd:tracing:before_row", p.start("row")),
		cb.Row().After("gorm:row").Register("authd:tracing:after_row", end),
		cb.Raw().Before("gorm:raw").Register("authd:tracing:before_raw", p.start("raw")),
		cb.Raw().After("gorm:raw").Register("authd:tracing:after_raw", end),
	)
}

func (p gormPlugin) start(op string) func(*gorm.DB) {
	return func(db *gorm.DB) {
		ctx, span := p.tracer.Start(db.Statement.Context, "gorm."+op, trace.WithSpanKind(trace.SpanKindClient))
		db.Statement.Context = ctx
		db.InstanceSet(spanKey, span)
	}
}

func end(db *gorm.DB) {
	v, ok := db.InstanceGet(spanKey)
	if !ok {
		return
	}
	span := v.(trace.Span)
	span.SetAttributes(
		attribute.String("db.system.name", db.Dialector.Name()),
		attribute.String("db.query.text", db.Statement.SQL.String()),
		attribute.Int64("db.response.returned_rows", db.Statement.RowsAffected),
	)
	if db.Error != nil && db.Error != gorm.ErrRecordNotFound {
		span.RecordError(db.Error)
		span.SetStatus(codes.Error, "statement failed")
	}
	span.End()
}
