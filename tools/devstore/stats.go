package main

import (
	"slices"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// statsCommand is the command the devstore answers itself, on any
// database: {devstoreStats: 1}. It reports what the store did since it
// started, for benchmarks and tests to compare before and after a workload:
//
//	{
//	  uptimeNanos, cpuUserNanos, cpuSystemNanos: int64 (the whole devstore
//	    process, FerretDB included; 0 where the OS does not say),
//	  idIndexesCreated: int64 (_id indexes the devstore created),
//	  commands: {<command name>: {
//	    requests: int64,        every request with that command name
//	    gated: int64,           those that held the gate
//	    keyed: int64,           of those, the ones held for one document only
//	    rewritten: int64,       guards passed: filter reduced to {_id: X}
//	    answered: int64,        guards failed: no-match reply from the devstore
//	    split: int64,           finds by _id $in, one lookup per _id
//	    passed: int64,          checked for a rewrite, forwarded unchanged
//	    duplicates: int64,      FerretDB unique errors turned into E11000
//	    backendRequests: int64, requests sent to FerretDB for them
//	    gateWaitNanos, gateHeldNanos, backendNanos: int64 (summed)
//	  }, …},
//	  collections: {"<collection> <command name>": {requests, gateHeldNanos,
//	    backendNanos: int64}, …} (the same requests by the collection named),
//	  ok: 1.0
//	}
//
// It is not forwarded and takes no gate; statsCommand itself is not counted.
const statsCommand = "devstoreStats"

// maxStatsCommands bounds the command names counted one by one; the rest
// are counted under "other", so that a client sending made-up names cannot
// grow the table without end.
const maxStatsCommands = 100

// usage is what one request did, recorded when it ends.
type usage struct {
	gated           bool
	keyed           bool    // the turn held was one document's (docKey)
	outcome         outcome // "" when no rewrite ran
	duplicates      int
	backendRequests int
	gateWait        time.Duration
	gateHeld        time.Duration
	backend         time.Duration
}

// commandStats sums the usage of one command name.
type commandStats struct {
	requests, gated, keyed             int64
	rewritten, answered, split, passed int64
	duplicates, backendRequests        int64
	gateWait, gateHeld, backend        time.Duration
}

// stats are the devstore's counters, safe for concurrent use.
type stats struct {
	start time.Time

	mu          sync.Mutex
	commands    map[string]*commandStats
	collections map[string]*commandStats // "<collection> <command>"
	idIndexes   int64
}

func newStats() *stats {
	return &stats{start: time.Now(), commands: map[string]*commandStats{}, collections: map[string]*commandStats{}}
}

// record adds one request's usage under its command name, and under its
// collection and command name.
func (s *stats) record(name, coll string, u usage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := counted(s.commands, name)
	if coll != "" {
		byColl := counted(s.collections, coll+" "+name)
		byColl.requests++
		byColl.gateHeld += u.gateHeld
		byColl.backend += u.backend
	}
	c.requests++
	if u.gated {
		c.gated++
	}
	if u.keyed {
		c.keyed++
	}
	switch u.outcome {
	case outcomeRewritten:
		c.rewritten++
	case outcomeAnswered:
		c.answered++
	case outcomeSplit:
		c.split++
	case outcomePassed:
		c.passed++
	}
	c.duplicates += int64(u.duplicates)
	c.backendRequests += int64(u.backendRequests)
	c.gateWait += u.gateWait
	c.gateHeld += u.gateHeld
	c.backend += u.backend
}

// counted returns the counters of key in m, made on first use; past
// maxStatsCommands keys, those of "other".
func counted(m map[string]*commandStats, key string) *commandStats {
	c := m[key]
	if c == nil {
		if len(m) >= maxStatsCommands {
			key = "other"
		}
		if c = m[key]; c == nil {
			c = &commandStats{}
			m[key] = c
		}
	}
	return c
}

// indexCreated counts one _id index created.
func (s *stats) indexCreated() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idIndexes++
}

// document is the reply body of statsCommand.
func (s *stats) document() bson.Raw {
	user, system := cpuTime()
	s.mu.Lock()
	names := make([]string, 0, len(s.commands))
	for n := range s.commands {
		names = append(names, n)
	}
	slices.Sort(names)
	commands := make(bson.D, 0, len(names))
	for _, n := range names {
		c := s.commands[n]
		commands = append(commands, bson.E{Key: n, Value: bson.D{
			{Key: "requests", Value: c.requests},
			{Key: "gated", Value: c.gated},
			{Key: "keyed", Value: c.keyed},
			{Key: "rewritten", Value: c.rewritten},
			{Key: "answered", Value: c.answered},
			{Key: "split", Value: c.split},
			{Key: "passed", Value: c.passed},
			{Key: "duplicates", Value: c.duplicates},
			{Key: "backendRequests", Value: c.backendRequests},
			{Key: "gateWaitNanos", Value: c.gateWait.Nanoseconds()},
			{Key: "gateHeldNanos", Value: c.gateHeld.Nanoseconds()},
			{Key: "backendNanos", Value: c.backend.Nanoseconds()},
		}})
	}
	keys := make([]string, 0, len(s.collections))
	for k := range s.collections {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	collections := make(bson.D, 0, len(keys))
	for _, k := range keys {
		c := s.collections[k]
		collections = append(collections, bson.E{Key: k, Value: bson.D{
			{Key: "requests", Value: c.requests},
			{Key: "gateHeldNanos", Value: c.gateHeld.Nanoseconds()},
			{Key: "backendNanos", Value: c.backend.Nanoseconds()},
		}})
	}
	idIndexes := s.idIndexes
	s.mu.Unlock()
	return mustMarshal(bson.D{
		{Key: "uptimeNanos", Value: time.Since(s.start).Nanoseconds()},
		{Key: "cpuUserNanos", Value: user.Nanoseconds()},
		{Key: "cpuSystemNanos", Value: system.Nanoseconds()},
		{Key: "idIndexesCreated", Value: idIndexes},
		{Key: "commands", Value: commands},
		{Key: "collections", Value: collections},
		{Key: "ok", Value: float64(1)},
	})
}
