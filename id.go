package orderly

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewID returns a random ID with a type prefix, such as "ord_k3v9x2m4q8h7p1za".
// 80 random bits make collisions negligible; the prefix tells the type at a glance.
func NewID(prefix string) string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("orderly: crypto/rand failed: " + err.Error())
	}
	return prefix + "_" + strings.ToLower(idEncoding.EncodeToString(b))
}

// ID prefixes.
const (
	PrefixOrder    = "ord"
	PrefixProduct  = "prd"
	PrefixCustomer = "cus"
	PrefixShipment = "shp"
	PrefixReturn   = "ret"
	PrefixLocation = "loc"
)
