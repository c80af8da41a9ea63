package main

import (
	"net"
	"net/url"
)

// uiOrigins are the browser origins of the Temporal Web UI at base, which
// the codec endpoint's CORS allows. A UI on loopback is allowed under both
// of its names (localhost and 127.0.0.1), as a browser may use either.
func uiOrigins(base string) []string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil
	}
	origins := []string{u.Scheme + "://" + u.Host}
	host, port := u.Hostname(), u.Port()
	other := map[string]string{"localhost": "127.0.0.1", "127.0.0.1": "localhost"}[host]
	if other != "" {
		h := other
		if port != "" {
			h = net.JoinHostPort(other, port)
		}
		origins = append(origins, u.Scheme+"://"+h)
	}
	return origins
}
