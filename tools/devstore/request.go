package main

import "fmt"

// request is a client message made safe to forward through the gate.
type request struct {
	msg message
	// replyWanted is false when the client sent moreToCome: the gate still
	// waits for FerretDB's reply, so that the request is finished before the
	// next one is admitted, but does not pass it on.
	replyWanted bool
	// gated is false for commands that only read and may block on purpose.
	gated bool
}

// isGated reports whether command must hold the gate. getMore need not: it
// only reads from a cursor, so it cannot take part in FerretDB's
// read-then-write race, and on a tailable awaitData cursor FerretDB sleeps
// inside it for up to maxTimeMS (1s by default), which would stall everyone.
func isGated(command string) bool {
	return command != "getMore"
}

// newRequest rewrites m in place so that every request gets exactly one reply:
//   - OP_MSG moreToCome (an unacknowledged write) is cleared: the gate must
//     know when the write is done, and FerretDB replies regardless;
//   - OP_MSG exhaustAllowed and OP_QUERY Exhaust are cleared: a streamed
//     reply never ends, so it could never release the gate.
//
// Only OP_MSG and OP_QUERY are accepted; the legacy opcodes were removed from
// MongoDB and FerretDB, and OP_COMPRESSED never occurs because FerretDB does
// not advertise compression.
func newRequest(m message) (request, error) {
	flags, ok := m.flags()
	if !ok {
		return request{}, fmt.Errorf("request: opcode %d: message too short", m.opCode())
	}
	switch m.opCode() {
	case opMsg:
		cleared := flags &^ (msgMoreToCome | msgExhaustAllowed)
		if cleared != flags {
			m.setFlags(cleared)
			if flags&msgChecksumPresent != 0 {
				if len(m) < headerLen+8 {
					return request{}, fmt.Errorf("request: checksum flag without checksum")
				}
				m.updateChecksum()
			}
		}
		return request{
			msg:         m,
			replyWanted: flags&msgMoreToCome == 0,
			gated:       isGated(m.commandName()),
		}, nil
	case opQuery:
		m.setFlags(flags &^ queryExhaust)
		return request{msg: m, replyWanted: true, gated: true}, nil
	default:
		return request{}, fmt.Errorf("request: unsupported opcode %d", m.opCode())
	}
}
