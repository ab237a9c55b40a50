package wiring

import (
	"reflect"

	"go.uber.org/fx"
)

// filled returns an fx constructor of T, a struct whose exported fields are
// all taken from the graph. It lets an adapter declare the set of ports it
// needs once, as a plain struct (httpapi.UseCases, httpapi.Probes), without
// a copy of that struct here embedding fx.In: the parameter struct is built
// from T by reflection, field for field, with fx.In embedded.
func filled[T any]() any {
	t := reflect.TypeFor[T]()
	fields := []reflect.StructField{{Name: "In", Type: reflect.TypeFor[fx.In](), Anonymous: true}}
	for i := range t.NumField() {
		f := t.Field(i)
		fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type})
	}
	in := reflect.StructOf(fields)
	ctor := reflect.FuncOf([]reflect.Type{in}, []reflect.Type{t}, false)
	return reflect.MakeFunc(ctor, func(args []reflect.Value) []reflect.Value {
		out := reflect.New(t).Elem()
		for i := range t.NumField() {
			out.Field(i).Set(args[0].Field(i + 1))
		}
		return []reflect.Value{out}
	}).Interface()
}
