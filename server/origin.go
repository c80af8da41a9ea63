package main

import (
	"fmt"
	"net/url"
)

// checkOrigin validates one allowlist entry: scheme://host[:port], nothing more.
func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("origin %q must look like https://shop.example.com", o)
	}
	return nil
}
