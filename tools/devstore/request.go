package main

import (
	"encoding/binary"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// request is a client message made safe to forward through the gate.
type request struct {
	msg message
	// replyWanted is false when the client sent moreToCome: the gate still
	// waits for FerretDB's reply, so that the request is finished before the
	// next one is admitted, but does not pass it on.
	replyWanted bool
	// cmd is the command the message carries.
	cmd command
}

// command is what the devstore reads of a request: enough to route it,
// count it and, for the few shapes it rewrites, rebuild it.
type command struct {
	name string // the body's first key; "" for a message it cannot read
	db   string // $db
	// coll is the value of the first key when it is a string: the
	// collection for every command that names one.
	coll string
	// parts is the parsed OP_MSG; parsed is false for OP_QUERY and for a
	// message that does not parse, which are forwarded as they are.
	parts  sections
	parsed bool
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
		return request{msg: m, replyWanted: flags&msgMoreToCome == 0, cmd: parseCommand(m)}, nil
	case opQuery:
		m.setFlags(flags &^ queryExhaust)
		return request{msg: m, replyWanted: true, cmd: command{name: queryCommandName(m)}}, nil
	default:
		return request{}, fmt.Errorf("request: unsupported opcode %d", m.opCode())
	}
}

// parseCommand reads the command of an OP_MSG. A message that does not
// parse keeps only the name a byte scan finds, if any: FerretDB will refuse
// it, and the gate forwards it like any command it does not know.
func parseCommand(m message) command {
	parts, err := parseSections(m)
	if err != nil {
		return command{name: m.commandName()}
	}
	c := command{parts: parts, parsed: true}
	if first, err := parts.body.IndexErr(0); err == nil {
		c.name = first.Key()
		c.coll, _ = first.Value().StringValueOK()
	}
	c.db, _ = parts.body.Lookup("$db").StringValueOK()
	return c
}

// queryCommandName returns the command of an OP_QUERY, which drivers still
// use for the first handshake: the first key of its query document.
func queryCommandName(m message) string {
	i := headerLen + 4
	for i < len(m) && m[i] != 0 { // fullCollectionName
		i++
	}
	i += 1 + 8 // NUL, numberToSkip, numberToReturn
	if i+4 > len(m) {
		return ""
	}
	size := int(int32(binary.LittleEndian.Uint32(m[i:])))
	if size < 5 || i+size > len(m) {
		return ""
	}
	return firstKey(m[i : i+size])
}

// readOnly reports whether c may bypass the gate. The gate exists because
// FerretDB runs an update as a read followed by a write with no re-check;
// a command that writes nothing cannot take part in that race, and SQLite
// in WAL mode gives each of its statements a consistent snapshot while a
// writer works (FerretDB writes each document back in one statement). So
// reads need not queue behind writes.
//
// getMore must not queue in any case: on a tailable awaitData cursor
// FerretDB sleeps inside it for up to maxTimeMS (1s by default), which
// would stall everyone. Anything not listed here, including commands the
// devstore has never heard of, stays gated; so do collStats, dbStats and
// validate, which look read-only but run SQLite's ANALYZE, a write.
func readOnly(c command) bool {
	switch c.name {
	case "find", "count", "distinct", "getMore", "killCursors",
		"listCollections", "listIndexes", "listDatabases",
		"hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo",
		"getParameter", "serverStatus", "dataSize", "connectionStatus", "whatsmyuri", "hostInfo",
		"getCmdLineOpts", "getLog", "listCommands", "getFreeMonitoringStatus",
		"currentOp", "explain", "endSessions":
		return true
	case "aggregate":
		return c.parsed && !writesFromPipeline(c.parts.body)
	}
	return false
}

// writesFromPipeline reports whether an aggregate's pipeline writes: $out
// and $merge do (FerretDB v1.24.2 refuses both, but a refusal is no reason
// to skip the gate), and a pipeline that is not an array of documents is
// treated as writing too.
func writesFromPipeline(body bson.Raw) bool {
	arr, ok := body.Lookup("pipeline").ArrayOK()
	if !ok {
		return true
	}
	stages, err := arr.Values()
	if err != nil {
		return true
	}
	for _, s := range stages {
		doc, ok := s.DocumentOK()
		if !ok {
			return true
		}
		first, err := doc.IndexErr(0)
		if err != nil {
			return true
		}
		if k := first.Key(); k == "$out" || k == "$merge" {
			return true
		}
	}
	return false
}
