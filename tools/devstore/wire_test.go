package main

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"testing"
)

// newOpMsg builds an OP_MSG whose body section is {command: 1}, optionally
// preceded by a document sequence section and followed by a checksum.
func newOpMsg(id int32, flags uint32, command string, withSequence bool) message {
	doc := []byte{0, 0, 0, 0, 0x10}
	doc = append(doc, command...)
	doc = append(doc, 0, 1, 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(doc, uint32(len(doc)))

	b := make([]byte, headerLen+4)
	binary.LittleEndian.PutUint32(b[4:], uint32(id))
	binary.LittleEndian.PutUint32(b[12:], opMsg)
	binary.LittleEndian.PutUint32(b[16:], flags)
	if withSequence {
		seq := []byte{1, 9, 0, 0, 0, 'd', 'o', 'c', 's', 0}
		b = append(b, seq...)
	}
	b = append(b, 0)
	b = append(b, doc...)
	if flags&msgChecksumPresent != 0 {
		b = append(b, 0, 0, 0, 0)
	}
	binary.LittleEndian.PutUint32(b, uint32(len(b)))
	m := message(b)
	if flags&msgChecksumPresent != 0 {
		m.updateChecksum()
	}
	return m
}

func TestReadMessage(t *testing.T) {
	good := newOpMsg(7, 0, "ping", false)
	tests := []struct {
		name    string
		in      []byte
		wantErr bool
	}{
		{"whole message", good, false},
		{"truncated", good[:len(good)-1], true},
		{"length below header", []byte{4, 0, 0, 0}, true},
		{"length above maximum", binary.LittleEndian.AppendUint32(nil, maxMessageLen+1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := readMessage(bytes.NewReader(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && !bytes.Equal(m, tt.in) {
				t.Fatalf("got %x, want %x", []byte(m), tt.in)
			}
		})
	}
}

func TestNewRequest(t *testing.T) {
	tests := []struct {
		name        string
		msg         message
		wantFlags   uint32
		wantReply   bool
		wantGated   bool
		wantCommand string
	}{
		{"plain command", newOpMsg(1, 0, "update", false), 0, true, true, "update"},
		{"body after a document sequence", newOpMsg(1, 0, "insert", true), 0, true, true, "insert"},
		{"unacknowledged write", newOpMsg(1, msgMoreToCome, "insert", true), 0, false, true, "insert"},
		{"exhaust allowed", newOpMsg(1, msgExhaustAllowed, "hello", false), 0, true, false, "hello"},
		{"checksum kept valid", newOpMsg(1, msgChecksumPresent|msgMoreToCome, "delete", false), msgChecksumPresent, false, true, "delete"},
		{"getMore bypasses the gate", newOpMsg(1, 0, "getMore", false), 0, true, false, "getMore"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := newRequest(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if f, _ := req.msg.flags(); f != tt.wantFlags {
				t.Errorf("flags = %#x, want %#x", f, tt.wantFlags)
			}
			if gated := !readOnly(req.cmd); req.replyWanted != tt.wantReply || gated != tt.wantGated {
				t.Errorf("replyWanted, gated = %v, %v; want %v, %v", req.replyWanted, gated, tt.wantReply, tt.wantGated)
			}
			if got := req.msg.commandName(); got != tt.wantCommand {
				t.Errorf("command = %q, want %q", got, tt.wantCommand)
			}
			if tt.wantFlags&msgChecksumPresent != 0 {
				n := len(req.msg) - 4
				want := crc32.Checksum(req.msg[:n], crc32.MakeTable(crc32.Castagnoli))
				if got := binary.LittleEndian.Uint32(req.msg[n:]); got != want {
					t.Errorf("checksum = %#x, want %#x", got, want)
				}
			}
		})
	}
}

func TestNewRequestQueryClearsExhaust(t *testing.T) {
	m := make(message, headerLen+4)
	binary.LittleEndian.PutUint32(m, uint32(len(m)))
	binary.LittleEndian.PutUint32(m[12:], opQuery)
	m.setFlags(queryExhaust | 1<<2)
	req, err := newRequest(m)
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := req.msg.flags(); f != 1<<2 || !req.replyWanted || readOnly(req.cmd) {
		t.Fatalf("flags %#x replyWanted %v readOnly %v", f, req.replyWanted, readOnly(req.cmd))
	}
}

func TestNewRequestRejectsLegacyOpcodes(t *testing.T) {
	m := make(message, headerLen+4)
	binary.LittleEndian.PutUint32(m, uint32(len(m)))
	binary.LittleEndian.PutUint32(m[12:], 2002) // OP_INSERT
	if _, err := newRequest(m); err == nil {
		t.Fatal("OP_INSERT accepted")
	}
}
