package orderly

import (
	"strings"
	"testing"
)

func TestAddressValidate(t *testing.T) {
	valid := Address{Name: "Ada Lovelace", Line1: "12 Analytical Row", City: "London", PostalCode: "N1 9GU", Country: "GB"}
	if err := valid.Validate("a"); err != nil {
		t.Fatalf("valid address: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*Address)
		field string // "" means valid
	}{
		{"US", func(a *Address) { a.Country = "US" }, ""},
		{"DE", func(a *Address) { a.Country = "DE" }, ""},
		{"line2 optional", func(a *Address) { a.Line2 = "" }, ""},
		{"line2 set", func(a *Address) { a.Line2 = "Flat 3" }, ""},
		{"no name", func(a *Address) { a.Name = " " }, "a.name"},
		{"no city", func(a *Address) { a.City = "" }, "a.city"},
		{"NUL in name", func(a *Address) { a.Name = "Ada\x00" }, "a.name"},
		{"newline in line1", func(a *Address) { a.Line1 = "12\nRow" }, "a.line1"},
		{"escape in line2", func(a *Address) { a.Line2 = "\x1b[2J" }, "a.line2"},
		{"invalid UTF-8 in postal code", func(a *Address) { a.PostalCode = "N1\xff" }, "a.postalCode"},
		{"city too long", func(a *Address) { a.City = strings.Repeat("x", MaxAddressFieldLength+1) }, "a.city"},
		// The country is an assigned ISO 3166-1 alpha-2 code, checked
		// against CLDR's region data, not by its shape.
		{"user-assigned XX", func(a *Address) { a.Country = "XX" }, "a.country"},
		{"user-assigned ZZ", func(a *Address) { a.Country = "ZZ" }, "a.country"},
		{"user-assigned QM", func(a *Address) { a.Country = "QM" }, "a.country"},
		{"user-assigned AA", func(a *Address) { a.Country = "AA" }, "a.country"},
		{"not a country: EU", func(a *Address) { a.Country = "EU" }, "a.country"},
		{"not a country: UN", func(a *Address) { a.Country = "UN" }, "a.country"},
		{"reserved outside ISO 3166-1: IC", func(a *Address) { a.Country = "IC" }, "a.country"},
		{"deprecated alias UK", func(a *Address) { a.Country = "UK" }, "a.country"},
		{"lower case", func(a *Address) { a.Country = "gb" }, "a.country"},
		{"alpha-3", func(a *Address) { a.Country = "GBR" }, "a.country"},
		{"numeric", func(a *Address) { a.Country = "826" }, "a.country"},
		{"one letter", func(a *Address) { a.Country = "G" }, "a.country"},
		{"non-ASCII letters", func(a *Address) { a.Country = "ĞB" }, "a.country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid
			tt.edit(&a)
			err := a.Validate("a")
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v, want ok", a, err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID || e.Field != tt.field {
				t.Fatalf("Validate(%+v) = %v, want EINVALID on %s", a, err, tt.field)
			}
		})
	}
}
