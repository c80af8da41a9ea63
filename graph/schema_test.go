package graph

import (
	"strings"
	"testing"
)

// TestSchemaIsDocumented: every type, field, argument and enum value of the
// schema has a description, so the playground and generated clients document
// themselves.
func TestSchemaIsDocumented(t *testing.T) {
	s := NewExecutableSchema(Config{}).Schema()
	for _, d := range s.Types {
		if d.BuiltIn {
			continue
		}
		if d.Description == "" {
			t.Errorf("type %s has no description", d.Name)
		}
		for _, f := range d.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if f.Description == "" {
				t.Errorf("field %s.%s has no description", d.Name, f.Name)
			}
			for _, a := range f.Arguments {
				if a.Description == "" {
					t.Errorf("argument %s.%s(%s) has no description", d.Name, f.Name, a.Name)
				}
			}
		}
		for _, v := range d.EnumValues {
			if v.Description == "" {
				t.Errorf("enum value %s.%s has no description", d.Name, v.Name)
			}
		}
	}
}
