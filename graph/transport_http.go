package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport serves GraphQL over HTTP as the GraphQL-over-HTTP spec
// describes: POST with a JSON body and GET with query parameters (queries
// only), answering application/graphql-response+json or application/json as
// the Accept header asks. With graphql-response+json a request that cannot
// be executed (unparsable, invalid, over a limit) gets 400; with
// application/json it gets 200, as the spec prescribes for legacy clients.
// Malformed HTTP gets 400, 405, 406, 413 or 415 before GraphQL runs.
type httpTransport struct {
	maxBodyBytes int64
}

var _ graphql.Transport = httpTransport{}

// Supports implements graphql.Transport: everything but websocket upgrades.
func (t httpTransport) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == ""
}

// requestBody is the JSON body of a POST request. Unknown members are ignored,
// as the spec allows.
type requestBody struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
	Extensions    map[string]any `json:"extensions"`
}

// Do implements graphql.Transport.
func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	mediaType, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		writeHTTPError(w, mediaJSON, http.StatusNotAcceptable, "NOT_ACCEPTABLE",
			"accept application/graphql-response+json or application/json")
		return
	}
	start := graphql.Now()
	var params *graphql.RawParams
	switch r.Method {
	case http.MethodPost:
		params = t.postParams(w, r, mediaType)
	case http.MethodGet:
		params = getParams(w, r, mediaType)
	default:
		w.Header().Set("Allow", "GET, POST")
		writeHTTPError(w, mediaType, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "use GET or POST")
		return
	}
	if params == nil {
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	ctx := r.Context()
	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		status := http.StatusOK
		if mediaType == mediaGraphQLResponse && !persistedQueryNotFound(errs) {
			status = http.StatusBadRequest
		}
		writeResponse(w, mediaType, status, exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs))
		return
	}
	switch op := opCtx.Operation.Operation; {
	case r.Method == http.MethodGet && op != ast.Query:
		w.Header().Set("Allow", "POST")
		writeHTTPError(w, mediaType, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "GET allows queries only; use POST")
		return
	case op == ast.Subscription:
		writeHTTPError(w, mediaType, http.StatusBadRequest, "BAD_REQUEST", "subscriptions need the graphql-transport-ws websocket protocol")
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	writeResponse(w, mediaType, http.StatusOK, responses(ctx))
}

// postParams reads a POST body within the size limit; it writes the error
// response and returns nil for a request it cannot accept.
func (t httpTransport) postParams(w http.ResponseWriter, r *http.Request, mediaType string) *graphql.RawParams {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != mediaJSON {
		writeHTTPError(w, mediaType, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "send the request as application/json")
		return nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, t.maxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeHTTPError(w, mediaType, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", "the request body is too large")
		return nil
	} else if err != nil {
		writeHTTPError(w, mediaType, http.StatusBadRequest, "BAD_REQUEST", "the request body could not be read")
		return nil
	}
	var b requestBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&b); err != nil || dec.More() {
		writeHTTPError(w, mediaType, http.StatusBadRequest, "BAD_REQUEST",
			"the request body must be a JSON object with a string \"query\" and optional \"operationName\", \"variables\" and \"extensions\"")
		return nil
	}
	return &graphql.RawParams{Query: b.Query, OperationName: b.OperationName, Variables: b.Variables, Extensions: b.Extensions}
}

// getParams reads the query parameters of a GET request.
func getParams(w http.ResponseWriter, r *http.Request, mediaType string) *graphql.RawParams {
	q := r.URL.Query()
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	for name, dst := range map[string]*map[string]any{"variables": &p.Variables, "extensions": &p.Extensions} {
		raw := q.Get(name)
		if raw == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(dst); err != nil || dec.More() {
			writeHTTPError(w, mediaType, http.StatusBadRequest, "BAD_REQUEST", "the "+name+" parameter must be a JSON object")
			return nil
		}
	}
	return p
}

// negotiate picks the response media type from an Accept header: the first
// acceptable of graphql-response+json and json. No header, */* and
// application/* get application/json, which every client understands.
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if q, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(q, 64); err != nil || v <= 0 {
				continue
			}
		}
		switch mt {
		case mediaGraphQLResponse:
			return mediaGraphQLResponse, true
		case mediaJSON, "*/*", "application/*":
			return mediaJSON, true
		}
	}
	return "", false
}

// persistedQueryNotFound reports the APQ miss that clients answer by sending
// the full query; Apollo clients expect it with status 200.
func persistedQueryNotFound(errs gqlerror.List) bool {
	for _, e := range errs {
		if e.Extensions["code"] == "PERSISTED_QUERY_NOT_FOUND" {
			return true
		}
	}
	return false
}

func writeResponse(w http.ResponseWriter, mediaType string, status int, resp *graphql.Response) {
	b, err := json.Marshal(resp)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.Header().Set("Content-Type", mediaType+"; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeHTTPError answers a request that never reached GraphQL execution.
func writeHTTPError(w http.ResponseWriter, mediaType string, status int, code, message string) {
	writeResponse(w, mediaType, status, &graphql.Response{Errors: gqlerror.List{{
		Message: message, Extensions: map[string]any{"code": code},
	}}})
}
