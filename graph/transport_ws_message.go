package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// The message types of graphql-transport-ws, as the protocol document
// defines them (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md).
const (
	msgConnectionInit = "connection_init" // client → server
	msgConnectionAck  = "connection_ack"  // server → client
	msgPing           = "ping"            // both ways
	msgPong           = "pong"            // both ways
	msgSubscribe      = "subscribe"       // client → server
	msgNext           = "next"            // server → client
	msgError          = "error"           // server → client
	msgComplete       = "complete"        // both ways
)

// parseClientMessage decodes one message a client sent and checks it against
// the protocol: a JSON object whose type is one a client may send, with an
// id (a non-empty string) where the type needs one and never one of another
// JSON type, and a payload of the type's shape. Anything else is an
// "invalid message", which the protocol answers with 4400; the error says
// why, for the close reason.
//
// gqlgen decodes messages leniently (an unknown type, a numeric id or a
// payload it cannot read ends the connection with 1000 or 1002, or is run
// under an empty id), so every message is checked here first.
func parseClientMessage(data []byte) (wsMessage, error) {
	var raw struct {
		ID      json.RawMessage `json:"id"`
		Type    json.RawMessage `json:"type"`
		Payload json.RawMessage `json:"payload"`
	}
	if !isJSONObject(data) || json.Unmarshal(data, &raw) != nil {
		return wsMessage{}, errors.New("a message is a JSON object")
	}
	var m wsMessage
	if len(raw.Type) == 0 || json.Unmarshal(raw.Type, &m.Type) != nil {
		return m, errors.New("a message has a string type")
	}
	if len(raw.ID) > 0 && !isNull(raw.ID) && json.Unmarshal(raw.ID, &m.ID) != nil {
		return m, errors.New("an id is a string")
	}
	m.Payload = raw.Payload
	switch m.Type {
	case msgConnectionInit, msgPing, msgPong:
		if !isNullOrObject(m.Payload) {
			return m, fmt.Errorf("the payload of %s is an object", m.Type)
		}
	case msgSubscribe:
		if m.ID == "" {
			return m, errors.New("subscribe needs an id")
		}
		if err := checkSubscribePayload(m.Payload); err != nil {
			return m, err
		}
	case msgComplete:
		if m.ID == "" {
			return m, errors.New("complete needs an id")
		}
	case msgConnectionAck, msgNext, msgError:
		return m, fmt.Errorf("%s is sent by the server only", m.Type)
	default:
		return m, fmt.Errorf("unknown message type %q", truncate(m.Type, 32))
	}
	return m, nil
}

// checkSubscribePayload checks the shape the protocol gives a subscribe
// payload: {query: string, operationName?: string|null, variables?:
// object|null, extensions?: object|null}.
func checkSubscribePayload(payload json.RawMessage) error {
	var p struct {
		Query         json.RawMessage `json:"query"`
		OperationName json.RawMessage `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
		Extensions    json.RawMessage `json:"extensions"`
	}
	if !isJSONObject(payload) || json.Unmarshal(payload, &p) != nil {
		return errors.New("the payload of subscribe is an object")
	}
	var s string
	if json.Unmarshal(p.Query, &s) != nil {
		return errors.New("subscribe needs a query string")
	}
	if len(p.OperationName) > 0 && !isNull(p.OperationName) && json.Unmarshal(p.OperationName, &s) != nil {
		return errors.New("operationName is a string")
	}
	if !isNullOrObject(p.Variables) || !isNullOrObject(p.Extensions) {
		return errors.New("variables and extensions are objects")
	}
	return nil
}

// isJSONObject reports whether data is a JSON object (and not null, which
// json.Unmarshal accepts into a struct).
func isJSONObject(data []byte) bool {
	d := bytes.TrimSpace(data)
	return len(d) > 0 && d[0] == '{' && json.Valid(d)
}

func isNull(data json.RawMessage) bool { return string(bytes.TrimSpace(data)) == "null" }

// isNullOrObject reports whether an optional field is absent, null or an object.
func isNullOrObject(data json.RawMessage) bool {
	return len(data) == 0 || isNull(data) || isJSONObject(data)
}

// encodeOutgoing turns a message gqlgen sends into its wire form and its
// envelope. gqlgen hands over its own message struct, whose payload is JSON
// it has just marshalled: the envelope is read from the struct's fields and
// written around the payload as it is, instead of marshalling the whole
// message (which would validate and copy the payload again) and parsing it
// back, twice per live update and subscriber. Any other value takes the
// slow way.
func encodeOutgoing(v any) (wsMessage, []byte, error) {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() == reflect.Struct {
		id, typ, payload := rv.FieldByName("ID"), rv.FieldByName("Type"), rv.FieldByName("Payload")
		if id.Kind() == reflect.String && typ.Kind() == reflect.String && payload.Kind() == reflect.Slice &&
			payload.Type().Elem().Kind() == reflect.Uint8 {
			m := wsMessage{ID: id.String(), Type: typ.String(), Payload: payload.Bytes()}
			return m, appendMessage(nil, m), nil
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		return wsMessage{}, nil, err
	}
	var m wsMessage
	err = json.Unmarshal(data, &m)
	return m, data, err
}

// appendMessage appends m as graphql-transport-ws sends it:
// {"id":…,"type":…,"payload":…}, with id and payload left out when empty.
// The payload must be valid JSON.
func appendMessage(b []byte, m wsMessage) []byte {
	b = append(b, '{')
	if m.ID != "" {
		b = append(b, `"id":`...)
		b = appendJSONString(b, m.ID)
		b = append(b, ',')
	}
	b = append(b, `"type":`...)
	b = appendJSONString(b, m.Type)
	if len(m.Payload) > 0 {
		b = append(b, `,"payload":`...)
		b = append(b, m.Payload...)
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}
