package main

import (
	"fmt"
	"net/url"
	"strings"
)

// checkOrigin validates one allowlist entry: scheme://host[:port], nothing
// more (a trailing slash is tolerated; LoadConfig drops it). Browsers send
// Origin in exactly that form, so anything else (a path, a query, user info,
// an empty port) would never match; and a "*" would be a wildcard to the
// CORS library but a literal character to the websocket's origin check.
func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		strings.Contains(u.Host, "*") || strings.HasSuffix(u.Host, ":") ||
		!strings.EqualFold(strings.TrimSuffix(o, "/"), u.Scheme+"://"+u.Host) {
		return fmt.Errorf("origin %q must look like https://shop.example.com", o)
	}
	return nil
}
