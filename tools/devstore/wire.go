package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Wire-protocol constants, from the MongoDB wire protocol specification.
const (
	headerLen = 16
	// maxMessageLen is the maxMessageSizeBytes every MongoDB server (and
	// FerretDB) advertises; anything longer is a corrupt stream.
	maxMessageLen = 48_000_000

	opReply = 1
	opQuery = 2004
	opMsg   = 2013

	msgChecksumPresent = 1 << 0
	msgMoreToCome      = 1 << 1
	msgExhaustAllowed  = 1 << 16

	queryExhaust = 1 << 6
)

// message is one complete wire-protocol message, header included.
type message []byte

// readMessage reads one message whose 4-byte little-endian length prefix
// counts the whole message, itself included.
func readMessage(r io.Reader) (message, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err // io.EOF here is a clean close; keep it unwrapped
	}
	n := int32(binary.LittleEndian.Uint32(head[:]))
	if n < headerLen || n > maxMessageLen {
		return nil, fmt.Errorf("read message: invalid length %d", n)
	}
	m := make(message, n)
	copy(m, head[:])
	if _, err := io.ReadFull(r, m[4:]); err != nil {
		return nil, fmt.Errorf("read message: %w", noEOF(err))
	}
	return m, nil
}

// noEOF turns an EOF in the middle of a message into io.ErrUnexpectedEOF so
// that callers do not mistake a truncated message for a clean close.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (m message) requestID() int32  { return int32(binary.LittleEndian.Uint32(m[4:])) }
func (m message) responseTo() int32 { return int32(binary.LittleEndian.Uint32(m[8:])) }
func (m message) opCode() int32     { return int32(binary.LittleEndian.Uint32(m[12:])) }

// flags returns the first word after the header: flagBits for OP_MSG, flags
// for OP_QUERY and responseFlags for OP_REPLY. ok is false if it is missing.
func (m message) flags() (flags uint32, ok bool) {
	if len(m) < headerLen+4 {
		return 0, false
	}
	return binary.LittleEndian.Uint32(m[headerLen:]), true
}

func (m message) setFlags(flags uint32) {
	binary.LittleEndian.PutUint32(m[headerLen:], flags)
}

// moreToCome reports whether m is an OP_MSG whose sender will not wait for
// (or, from a server, will follow it with) another message.
func (m message) moreToCome() bool {
	f, ok := m.flags()
	return ok && m.opCode() == opMsg && f&msgMoreToCome != 0
}

// updateChecksum recomputes the trailing CRC-32C of an OP_MSG after its flag
// bits were rewritten; a stale checksum would make the server drop the message.
// MakeTable returns the standard library's shared Castagnoli table.
func (m message) updateChecksum() {
	body := len(m) - 4
	binary.LittleEndian.PutUint32(m[body:], crc32.Checksum(m[:body], crc32.MakeTable(crc32.Castagnoli)))
}

// commandName returns the name of the command an OP_MSG carries: the first
// key of its body (kind 0) section. It returns "" when there is none.
func (m message) commandName() string {
	f, ok := m.flags()
	if !ok || m.opCode() != opMsg {
		return ""
	}
	end := len(m)
	if f&msgChecksumPresent != 0 {
		end -= 4
	}
	for i := headerLen + 4; i < end; {
		kind := m[i]
		i++
		if i+4 > end {
			return ""
		}
		size := int(int32(binary.LittleEndian.Uint32(m[i:])))
		if size < 5 || i+size > end {
			return ""
		}
		if kind == 0 {
			return firstKey(m[i : i+size])
		}
		i += size // kind 1: a document sequence, its size includes itself
	}
	return ""
}

// firstKey returns the name of the first element of the BSON document doc:
// int32 length, then type byte and NUL-terminated name.
func firstKey(doc []byte) string {
	if len(doc) < 6 || doc[4] == 0 {
		return ""
	}
	for j := 5; j < len(doc); j++ {
		if doc[j] == 0 {
			return string(doc[5:j])
		}
	}
	return ""
}
