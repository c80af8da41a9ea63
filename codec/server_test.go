package codec

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/orderly-shop/orderly"
)

// sessions is a token table standing in for the account service.
type sessions map[string]*orderly.Customer

func (s sessions) CustomerBySession(_ context.Context, token string) (*orderly.Customer, error) {
	if token == "down" {
		return nil, errors.New("store unreachable")
	}
	if c, ok := s[token]; ok {
		return c, nil
	}
	return nil, orderly.Errorf(orderly.EUNAUTHORIZED, "no session")
}

const uiOrigin = "http://localhost:8233"

func testServer(t *testing.T) (*Codec, http.Handler) {
	c := mustCodec(t, key(t, "k1", 1))
	return c, c.Server(ServerOptions{
		Sessions: sessions{
			"op":   {ID: "cus_op", Role: orderly.RoleAdmin},
			"shop": {ID: "cus_shop", Role: orderly.RoleCustomer},
		},
		AllowedOrigins: []string{uiOrigin},
	})
}

func post(h http.Handler, path, authorization, origin, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Namespace", "default")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestServerDecodesForOperators: the remote codec protocol round trip, for an
// operator only.
func TestServerDecodesForOperators(t *testing.T) {
	c, h := testServer(t)
	enc, err := c.DataConverter().ToPayload(address{Name: "Ada Lovelace"})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{enc}})

	rec := post(h, "/codec/decode", "Bearer op", uiOrigin, string(body))
	if rec.Code != http.StatusOK {
		t.Fatalf("decode: %d %s", rec.Code, rec.Body)
	}
	var out commonpb.Payloads
	if err := protojson.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Payloads) != 1 {
		t.Fatalf("decode answer %s: %v", rec.Body, err)
	}
	var a address
	if err := json.Unmarshal(out.Payloads[0].Data, &a); err != nil || a.Name != "Ada Lovelace" {
		t.Errorf("decoded %s", out.Payloads[0].Data)
	}
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got != uiOrigin {
		t.Errorf("Access-Control-Allow-Origin = %q", got)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Error("decoded payloads may be cached")
	}

	// Encode then decode through the endpoint gives the payload back.
	plain, _ := protojson.Marshal(&commonpb.Payloads{Payloads: out.Payloads})
	rec = post(h, "/codec/encode", "Bearer op", "", string(plain))
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Ada") {
		t.Errorf("encode: %d %s", rec.Code, rec.Body)
	}

	for _, tt := range []struct {
		name, authorization string
		want                int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"not bearer", "Basic b3A6", http.StatusUnauthorized},
		{"unknown session", "Bearer nope", http.StatusUnauthorized},
		{"a shopper", "Bearer shop", http.StatusForbidden},
		{"store down", "Bearer down", http.StatusServiceUnavailable},
	} {
		rec := post(h, "/codec/decode", tt.authorization, uiOrigin, string(body))
		if rec.Code != tt.want || strings.Contains(rec.Body.String(), "Ada") {
			t.Errorf("%s: %d %s, want %d", tt.name, rec.Code, rec.Body, tt.want)
		}
	}
}

// TestServerCORS: the Temporal UI's origin may send the preflight for an
// authorized POST; another origin may not.
func TestServerCORS(t *testing.T) {
	_, h := testServer(t)
	preflight := func(origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodOptions, "/codec/decode", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,x-namespace")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	ok := preflight(uiOrigin)
	if ok.Header().Get("Access-Control-Allow-Origin") != uiOrigin ||
		!strings.Contains(strings.ToLower(ok.Header().Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("UI preflight refused: %v", ok.Header())
	}
	if got := preflight("https://evil.example").Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("another origin allowed: %q", got)
	}
	if rec := post(h, "/codec/decode", "Bearer op", "https://evil.example", `{"payloads":[]}`); rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("another origin may read the answer")
	}
}
