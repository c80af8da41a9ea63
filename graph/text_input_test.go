package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/orderly-shop/orderly"
)

// stringInput is one place in the schema where a client sends a string: a
// root field, and the path of an argument (through input objects and lists)
// whose type is String or ID.
type stringInput struct {
	op    string // "query", "mutation" or "subscription"
	field *ast.FieldDefinition
	path  []string // argument name, then input fields, "0" for a list item
}

func (s stringInput) String() string { return s.field.Name + "(" + strings.Join(s.path, ".") + ")" }

// stringInputs walks the schema for every String or ID argument of every
// root field, so that an input added to the schema is covered without
// anyone remembering to list it.
func stringInputs(schema *ast.Schema) []stringInput {
	var out []stringInput
	var walk func(op string, f *ast.FieldDefinition, t *ast.Type, path []string, seen map[string]bool)
	walk = func(op string, f *ast.FieldDefinition, t *ast.Type, path []string, seen map[string]bool) {
		if t.Elem != nil {
			walk(op, f, t.Elem, append(slices.Clip(path), "0"), seen)
			return
		}
		switch def := schema.Types[t.NamedType]; {
		case t.NamedType == "String" || t.NamedType == "ID":
			out = append(out, stringInput{op: op, field: f, path: path})
		case def.Kind == ast.InputObject && !seen[def.Name]:
			seen[def.Name] = true
			for _, fd := range def.Fields {
				walk(op, f, fd.Type, append(slices.Clip(path), fd.Name), seen)
			}
			delete(seen, def.Name)
		}
	}
	for op, root := range map[string]*ast.Definition{"query": schema.Query, "mutation": schema.Mutation, "subscription": schema.Subscription} {
		for _, f := range root.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			for _, a := range f.Arguments {
				walk(op, f, a.Type, []string{a.Name}, map[string]bool{})
			}
		}
	}
	slices.SortFunc(out, func(a, b stringInput) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// badTexts are strings no input may accept.
var badTexts = map[string]string{
	"NUL":        "a\x00b",
	"escape":     "\x1b[2J",
	"newline":    "two\nlines",
	"C1 control": "a\u0085b",
}

// TestStringInputsRefuseBadText sends, in every String and ID input of the
// schema (found by walking it), a NUL byte, an escape sequence, a newline
// and a C1 control character, with every other argument valid; and, in
// every query argument, invalid UTF-8 in a literal (GET: JSON cannot carry
// it, and the parser lets it through). Each must be INVALID naming that input (a payload error for
// mutations, a top-level error otherwise), never INTERNAL, never an ERROR
// log line, never a write.
func TestStringInputsRefuseBadText(t *testing.T) {
	f := newFixture(t)
	logs := &errorLog{}
	f.resolver.Logger = slog.New(logs)
	f.addToCart(f.alice, f.products[0], 1)
	orderID := f.placeOrder(f.aliceToken, "text-input")
	if err := f.store.advance(orderID, orderly.StatusValidated, orderly.StatusInventoryReserved, orderly.StatusAwaitingApproval); err != nil {
		t.Fatal(err)
	}
	address := validAddress()
	address["line2"] = "Flat 2"
	// valid holds, per root field, arguments that pass every check, so that
	// the one bad string is what the answer is about.
	valid := map[string]map[string]any{
		"products":       {"after": nil, "search": "lamp", "category": "books"},
		"product":        {"id": f.products[0].ID},
		"order":          {"id": orderID},
		"orders":         {"after": nil, "filter": map[string]any{"customerId": f.alice.ID}},
		"rewards":        {"customerId": f.alice.ID},
		"notifications":  {"after": nil},
		"node":           {"id": orderID},
		"nodes":          {"ids": []any{f.products[0].ID}},
		"register":       {"input": map[string]any{"email": "new@example.com", "password": "correct horse", "name": "New"}},
		"login":          {"input": map[string]any{"email": "alice@example.com", "password": "correct horse"}},
		"addToCart":      {"input": map[string]any{"productId": f.products[1].ID, "quantity": 1}},
		"updateCartLine": {"input": map[string]any{"productId": f.products[0].ID, "quantity": 1}},
		"removeCartLine": {"input": map[string]any{"productId": f.products[0].ID}},
		"placeOrder":     {"input": map[string]any{"idempotencyKey": "k2", "shippingAddress": address, "paymentMethod": map[string]any{"cardNumber": "4242424242424242"}}},
		"refundOrder": {"input": map[string]any{"orderId": orderID, "amount": map[string]any{"amount": 100, "currency": "USD"},
			"lines": []any{map[string]any{"productId": f.products[0].ID, "quantity": 1}}, "reason": "damaged"}},
		"requestReturn":          {"input": map[string]any{"orderId": orderID, "lines": []any{map[string]any{"productId": f.products[0].ID, "quantity": 1}}, "reason": "too big"}},
		"approveReturn":          {"input": map[string]any{"orderId": orderID, "returnId": "ret_1"}},
		"rejectReturn":           {"input": map[string]any{"orderId": orderID, "returnId": "ret_1", "reason": "worn"}},
		"markReturnReceived":     {"input": map[string]any{"orderId": orderID, "returnId": "ret_1"}},
		"cancelReturn":           {"input": map[string]any{"orderId": orderID, "returnId": "ret_1", "reason": "kept it"}},
		"cancelOrder":            {"input": map[string]any{"orderId": orderID, "reason": "changed my mind"}},
		"updateShippingAddress":  {"input": map[string]any{"orderId": orderID, "shippingAddress": address}},
		"approveOrder":           {"input": map[string]any{"orderId": orderID}},
		"rejectOrder":            {"input": map[string]any{"orderId": orderID, "reason": "fraud"}},
		"simulateFailure":        {"input": map[string]any{"orderId": orderID, "step": "PAYMENT", "mode": "TRANSIENT"}},
		"restock":                {"input": map[string]any{"productId": f.products[0].ID, "locationId": "loc_us", "quantity": 1, "idempotencyKey": "k"}},
		"updateApprovalSettings": {"input": map[string]any{"threshold": map[string]any{"amount": 100, "currency": "USD"}}},
		"closeRewards":           {"input": map[string]any{"customerId": f.alice.ID}},
		"markNotificationsRead":  {"input": map[string]any{"ids": []any{"ntf_1"}}},
		"orderUpdated":           {"id": orderID},
	}
	schema := f.resolver.NewExecutableSchema().Schema()
	inputs := stringInputs(schema)
	if len(inputs) < 30 {
		t.Fatalf("found only %d string inputs; the schema walk is broken", len(inputs))
	}
	srv := f.serve()
	for _, in := range inputs {
		args, ok := valid[in.field.Name]
		if !ok {
			t.Errorf("%s: no valid arguments for %s; add them to the table", in, in.field.Name)
			continue
		}
		for name, bad := range badTexts {
			t.Run(in.String()+"/"+name, func(t *testing.T) {
				vars := withValue(t, args, in.path, bad)
				before := f.store.writes.Load()
				logs.reset()
				code, field, body := f.sendField(t, srv, in, vars)
				if want := strings.Join(in.path, "."); code != orderly.EINVALID || !fieldMatches(field, want) {
					t.Errorf("got code %q on %q, want INVALID on %s: %s", code, field, want, body)
				}
				if strings.Contains(body, orderly.EINTERNAL) {
					t.Errorf("INTERNAL in %s", body)
				}
				if got := logs.lines(); len(got) > 0 {
					t.Errorf("ERROR log lines: %q", got)
				}
				if n := f.store.writes.Load() - before; n != 0 {
					t.Errorf("wrote %d times", n)
				}
			})
		}
		if in.op == "query" {
			t.Run(in.String()+"/invalid UTF-8 literal", func(t *testing.T) {
				logs.reset()
				q := fmt.Sprintf("{ %s(%s) %s }", in.field.Name, literalArgs(withValue(t, args, in.path, rawBytes("caf\xe9"))), selectionFor(schema, in.field))
				w := f.raw(http.MethodGet, "/?query="+url.QueryEscape(q), "", "", map[string]string{"Authorization": "Bearer " + f.adminToken})
				var resp struct{ Errors []gqlError }
				_ = json.Unmarshal(w.Body.Bytes(), &resp)
				if want := strings.Join(in.path, "."); len(resp.Errors) == 0 || resp.Errors[0].code() != orderly.EINVALID || resp.Errors[0].Extensions["field"] != want {
					t.Errorf("want INVALID on %s, got %s", want, w.Body)
				}
				if strings.Contains(w.Body.String(), orderly.EINTERNAL) || len(logs.lines()) > 0 {
					t.Errorf("INTERNAL or an ERROR log line: %s %q", w.Body, logs.lines())
				}
			})
		}
	}
}

// fieldMatches compares an error's field with the input path: payload
// errors name "input.…", top-level errors the argument itself.
func fieldMatches(got, want string) bool { return got == want }

// sendField runs the root field of in with vars, as an operator when the
// field requires one and as Alice otherwise, and returns the first error's
// code and field (a payload error for mutations, a top-level error else).
func (f *fixture) sendField(t *testing.T, srv *httptest.Server, in stringInput, vars map[string]any) (code, field, body string) {
	t.Helper()
	schema := f.resolver.NewExecutableSchema().Schema()
	token := f.aliceToken
	if d := in.field.Directives.ForName("auth"); d != nil && d.Arguments.ForName("requires") != nil &&
		d.Arguments.ForName("requires").Value.Raw == "ADMIN" {
		token = f.adminToken
	}
	var defs, uses []string
	for _, a := range in.field.Arguments {
		if _, ok := vars[a.Name]; !ok {
			continue
		}
		defs = append(defs, "$"+a.Name+": "+a.Type.String())
		uses = append(uses, a.Name+": $"+a.Name)
	}
	query := fmt.Sprintf("%s(%s) { %s(%s) %s }", in.op, strings.Join(defs, ", "), in.field.Name, strings.Join(uses, ", "), selectionFor(schema, in.field))
	if in.op == "subscription" {
		return f.subscribeOnce(t, srv, token, query, vars)
	}
	r := f.do(token, query, vars)
	raw, _ := json.Marshal(r)
	if len(r.Errors) > 0 {
		field, _ := r.Errors[0].Extensions["field"].(string)
		return r.Errors[0].code(), field, string(raw)
	}
	var data map[string]struct{ Errors payloadErrors }
	_ = json.Unmarshal(r.Data, &data)
	if p := data[in.field.Name]; len(p.Errors) > 0 && p.Errors[0].Field != nil {
		return p.Errors[0].Code, *p.Errors[0].Field, string(raw)
	}
	return "", "", string(raw)
}

// subscribeOnce runs a subscription over a websocket and returns the first
// error it gets.
func (f *fixture) subscribeOnce(t *testing.T, srv *httptest.Server, token, query string, vars map[string]any) (code, field, body string) {
	t.Helper()
	c := mustDialWS(t, srv)
	c.initWith(token)
	c.subscribe("s", query, vars)
	m := c.next()
	var errs []gqlError
	if m.Type == "next" {
		var p nextData
		_ = json.Unmarshal(m.Payload, &p)
		errs = p.Errors
	} else {
		_ = json.Unmarshal(m.Payload, &errs)
	}
	if len(errs) == 0 {
		return "", "", string(m.Payload)
	}
	field, _ = errs[0].Extensions["field"].(string)
	return errs[0].code(), field, string(m.Payload)
}

// selectionFor is a selection set valid for the field's type: a payload's
// errors, or just __typename.
func selectionFor(schema *ast.Schema, f *ast.FieldDefinition) string {
	def := schema.Types[f.Type.Name()]
	switch {
	case def.Kind == ast.Scalar || def.Kind == ast.Enum:
		return ""
	case def.Fields.ForName("errors") != nil:
		return "{ errors { code field message } }"
	}
	return "{ __typename }"
}

// withValue returns a deep copy of args with v at path, failing t when the
// path leads through an input object the valid arguments do not hold (the
// bad string would then not be what the answer is about).
func withValue(t *testing.T, args map[string]any, path []string, v any) map[string]any {
	t.Helper()
	out := deepCopy(args).(map[string]any)
	var cur any = out
	for i, p := range path {
		last := i == len(path)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[p] = v
				return out
			}
			next, ok := c[p]
			if !ok || next == nil {
				t.Fatalf("the valid arguments have no %s; add it to the table", strings.Join(path[:i+1], "."))
			}
			cur = next
		case []any:
			n, _ := strconv.Atoi(p)
			if n >= len(c) {
				t.Fatalf("the valid arguments' %s has no item %d", strings.Join(path[:i], "."), n)
			}
			if last {
				c[n] = v
				return out
			}
			cur = c[n]
		}
	}
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// rawBytes is a string that literalArgs writes into the document as it is,
// invalid UTF-8 included.
type rawBytes string

// literalArgs writes arguments as GraphQL literals (nil ones are left out).
func literalArgs(args map[string]any) string {
	var parts []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range args {
			if !yield(k) {
				return
			}
		}
	}) {
		if args[k] != nil {
			parts = append(parts, k+": "+literal(args[k]))
		}
	}
	return strings.Join(parts, ", ")
}

func literal(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "{" + literalArgs(x) + "}"
	case []any:
		var items []string
		for _, e := range x {
			items = append(items, literal(e))
		}
		return "[" + strings.Join(items, ", ") + "]"
	case rawBytes:
		return `"` + string(x) + `"`
	case string:
		return strconv.Quote(x)
	}
	return fmt.Sprint(v)
}

// errorLog is a slog handler that keeps the messages of ERROR records.
type errorLog struct {
	mu   sync.Mutex
	msgs []string
}

func (l *errorLog) Enabled(context.Context, slog.Level) bool { return true }

func (l *errorLog) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		l.mu.Lock()
		l.msgs = append(l.msgs, r.Message)
		l.mu.Unlock()
	}
	return nil
}

func (l *errorLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *errorLog) WithGroup(string) slog.Handler      { return l }

func (l *errorLog) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.msgs)
}

func (l *errorLog) reset() {
	l.mu.Lock()
	l.msgs = nil
	l.mu.Unlock()
}
