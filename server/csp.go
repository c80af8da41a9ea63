package main

import "strings"

// appContentSecurityPolicy is the policy the web app runs under, sent with
// every response (the JSON of /graphql and /readyz included, where it costs
// nothing). The built app is one script module and one stylesheet from this
// origin, with no inline script or style; its images are data: URIs (the
// favicon, the seeded product pictures); it talks to its own origin only,
// over fetch and the websocket (CSP 3's 'self' covers ws: and wss: of the
// same host). The browser tests fail on any violation of it.
var appContentSecurityPolicy = strings.Join([]string{
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data:",
	"font-src 'self'",
	"connect-src 'self'",
	"object-src 'none'",
	"base-uri 'self'",
	"form-action 'self'",
	"frame-ancestors 'none'",
}, "; ")
