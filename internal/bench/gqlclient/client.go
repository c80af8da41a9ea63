// Package gqlclient speaks Orderly's GraphQL API as a browser does: queries
// and mutations as HTTP POSTs, subscriptions over graphql-transport-ws. Each
// Client may send from its own loopback address (127.x.y.z), so that a
// benchmark's shoppers look like distinct visitors to the per-address login
// limits, as real shoppers would.
package gqlclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// Client is one visitor of one server: its address, its session token, its
// HTTP connections.
type Client struct {
	// URL is the server's base URL, such as http://127.0.0.1:8080.
	URL string
	// Token is the session token sent as "Authorization: Bearer"; "" signs
	// nothing.
	Token string

	dialer *net.Dialer
	http   *http.Client
}

// New returns a client of the server at baseURL that connects from source
// (nil: the system's choice). Linux routes all of 127.0.0.0/8 to the
// loopback interface, so any 127.x.y.z can be a source without setup.
func New(baseURL string, source net.IP) *Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if source != nil {
		d.LocalAddr = &net.TCPAddr{IP: source}
	}
	tr := &http.Transport{
		DialContext:         d.DialContext,
		MaxIdleConns:        64,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
	}
	return &Client{URL: strings.TrimRight(baseURL, "/"), dialer: d, http: &http.Client{Transport: tr}}
}

// SourceAddress returns the n-th loopback source address (n from 0), away
// from 127.0.0.1 so that no visitor shares the address of local tools.
func SourceAddress(n int) net.IP {
	n++ // 127.1.0.0 would be a network address
	return net.IPv4(127, byte(1+n>>16), byte(n>>8), byte(n))
}

// ResponseError holds the top-level errors of a GraphQL response.
type ResponseError struct {
	Status int
	Errors []GraphQLError
}

// GraphQLError is one top-level error.
type GraphQLError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Error lists the errors with their codes.
func (e *ResponseError) Error() string {
	var parts []string
	for _, g := range e.Errors {
		s := g.Message
		if code, ok := g.Extensions["code"]; ok {
			s = fmt.Sprintf("%s (%v)", s, code)
		}
		parts = append(parts, s)
	}
	return fmt.Sprintf("graphql: HTTP %d: %s", e.Status, strings.Join(parts, "; "))
}

// Do posts one operation and decodes its data into out (which may be nil).
// Top-level GraphQL errors come back as a *ResponseError, after out was
// filled with whatever data came with them.
func (c *Client) Do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return fmt.Errorf("graphql: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("graphql: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("graphql: %w", err)
	}
	defer resp.Body.Close()
	var envelope struct {
		Data   json.RawMessage `json:"data"`
		Errors []GraphQLError  `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&envelope); err != nil {
		return fmt.Errorf("graphql: decode response (HTTP %d): %w", resp.StatusCode, err)
	}
	if out != nil && len(envelope.Data) > 0 && string(envelope.Data) != "null" {
		if err := json.Unmarshal(envelope.Data, out); err != nil {
			return fmt.Errorf("graphql: decode data: %w", err)
		}
	}
	if len(envelope.Errors) > 0 {
		return &ResponseError{Status: resp.StatusCode, Errors: envelope.Errors}
	}
	return nil
}

// CloseIdle closes the client's idle HTTP connections.
func (c *Client) CloseIdle() { c.http.CloseIdleConnections() }
