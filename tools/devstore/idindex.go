package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// FerretDB's SQLite layout (internal/backends/sqlite/metadata): one file
// <db>.sqlite per database, one table per collection, named in the table
// _ferretdb_collections, each document a JSON text in one column.
const (
	sqliteExt         = ".sqlite"
	collectionsTable  = "_ferretdb_collections"
	documentColumn    = "_ferretdb_sjson"
	idPathExpression  = documentColumn + "->'$._id'"
	idIndexNamePrefix = "_ferretdb_devstore_id_"
)

// idIndex keeps an index on exactly the expression FerretDB's lookups by
// _id use, _ferretdb_sjson->'$._id', on every collection table.
//
// FerretDB's SQL for a filter {_id: X}, for writing a document back and for
// deleting by _id all say WHERE _ferretdb_sjson->'$._id' = ?, but it builds
// its own _id index on _ferretdb_sjson->"_id", a different expression that
// SQLite does not match: without this index every one of them scans the
// table. The index carries FerretDB's reserved prefix, so no name FerretDB
// gives a table or an index can take it; FerretDB lists indexes from its
// own metadata, so it never shows, and dropping the collection drops it.
//
// It remembers the collections it has indexed, by database and name, so
// that a write to one of them costs a map lookup; only a write naming a
// collection it does not know, or a command that creates, drops or renames
// collections, makes it read _ferretdb_collections. It runs holding the
// gate, so no FerretDB write runs beside it. Reads may, which SQLite's WAL
// mode allows.
type idIndex struct {
	dir string
	// create is false with -id-index=false: collections are still tracked
	// (rewrites need to know what exists) but left unindexed.
	create  bool
	timeout time.Duration
	log     *slog.Logger
	stats   *stats

	mu     sync.Mutex
	tables map[string]map[string]*collTable // database → collection → table
}

// collTable is what the upkeep knows of a collection's table.
type collTable struct {
	name string
	// rows is the table's row count when last counted, at countedAt: the
	// rewrites pay off only from a few dozen documents on (see
	// rewriteFor), and a count a few seconds old is close enough to tell.
	rows      int64
	countedAt time.Time
}

// recountAfter is how old a row count may grow before a write to the
// collection counts again.
const recountAfter = 2 * time.Second

// newIDIndex returns the index upkeep for the databases in dir.
func newIDIndex(dir string, create bool, timeout time.Duration, log *slog.Logger, st *stats) *idIndex {
	return &idIndex{dir: dir, create: create, timeout: timeout, log: log, stats: st,
		tables: map[string]map[string]*collTable{}}
}

// indexAll indexes every collection of every database in the data
// directory. It runs at start-up, before FerretDB serves anyone.
func (x *idIndex) indexAll(ctx context.Context) error {
	files, err := filepath.Glob(filepath.Join(x.dir, "*"+sqliteExt))
	if err != nil {
		return fmt.Errorf("id index: %w", err)
	}
	start := time.Now()
	for _, f := range files {
		db := strings.TrimSuffix(filepath.Base(f), sqliteExt)
		if err := x.scan(ctx, db, ""); err != nil {
			return err
		}
	}
	x.log.Info("collections indexed by _id", "databases", len(files), "took", time.Since(start))
	return nil
}

// known reports whether the collection exists and is indexed.
func (x *idIndex) known(db, coll string) bool {
	_, ok := x.table(db, coll)
	return ok
}

// table returns the SQLite table of a known collection.
func (x *idIndex) table(db, coll string) (string, bool) {
	if x == nil {
		return "", false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	t, ok := x.tables[db][coll]
	if !ok {
		return "", false
	}
	return t.name, true
}

// rows returns the row count of a known collection, or -1.
func (x *idIndex) rows(db, coll string) int64 {
	if x == nil {
		return -1
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	t, ok := x.tables[db][coll]
	if !ok {
		return -1
	}
	return t.rows
}

// stale reports whether a known collection's row count is due again.
func (x *idIndex) stale(db, coll string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	t, ok := x.tables[db][coll]
	return ok && time.Since(t.countedAt) > recountAfter
}

// afterWrite keeps the index on every table once c has run. Only these
// FerretDB v1.24.2 commands create, drop or rename tables: insert, update
// (even without upsert, it creates the collection), findAndModify (by
// upsert), create and createIndexes create; drop and dropDatabase drop;
// renameCollection renames (the table, and so its index, stays). A write
// to a known collection whose row count is stale counts it again.
func (x *idIndex) afterWrite(ctx context.Context, c command) {
	if x == nil || !c.parsed || c.db == "" {
		return
	}
	switch c.name {
	case "insert", "update", "findAndModify", "findandmodify", "create", "createIndexes", "delete":
		created := !x.known(c.db, c.coll) && c.name != "delete" // delete creates nothing
		if c.coll != "" && (created || x.stale(c.db, c.coll)) {
			x.scanLogged(ctx, c.db, c.coll)
		}
	case "drop":
		x.forget(c.db, c.coll)
	case "dropDatabase":
		x.mu.Lock()
		delete(x.tables, c.db)
		x.mu.Unlock()
	case "renameCollection":
		to, _ := c.parts.body.Lookup("to").StringValueOK()
		fromDB, fromColl, ok1 := strings.Cut(c.coll, ".")
		toDB, toColl, ok2 := strings.Cut(to, ".")
		if ok1 && ok2 {
			x.forget(fromDB, fromColl)
			x.forget(toDB, toColl)
			x.scanLogged(ctx, toDB, toColl)
		}
	}
}

func (x *idIndex) forget(db, coll string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.tables[db], coll)
}

// scanLogged is scan for the request path: a failure costs only speed (the
// next write to the collection tries again), so it is logged, not returned.
func (x *idIndex) scanLogged(ctx context.Context, db, coll string) {
	if err := x.scan(ctx, db, coll); err != nil {
		x.log.Warn("id index", "db", db, "collection", coll, "err", err)
	}
}

// scan reads the tables of database db (only that of collection coll, if
// coll is not ""), creates the missing indexes, counts the rows and
// remembers the tables. A database or collection that does not exist is no
// error.
func (x *idIndex) scan(ctx context.Context, db, coll string) error {
	ctx, cancel := context.WithTimeout(ctx, x.timeout)
	defer cancel()
	path := filepath.Join(x.dir, db+sqliteExt)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	// A connection of its own, opened for this and closed after: holding
	// one open would keep a dropped database's WAL file alive for the next
	// database of that name. mode=rw: never create a database file.
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("id index: %s: %w", db, err)
	}
	defer conn.Close()

	tables, err := collectionTables(ctx, conn, coll)
	if err != nil {
		return fmt.Errorf("id index: %s: %w", db, err)
	}
	if x.create {
		indexes, err := existingIndexes(ctx, conn)
		if err != nil {
			return fmt.Errorf("id index: %s: %w", db, err)
		}
		for _, table := range tables {
			name := idIndexNamePrefix + table
			if indexes[name] {
				continue
			}
			q := fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s (%s)", quoteIdent(name), quoteIdent(table), idPathExpression)
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("id index: %s.%s: %w", db, table, err)
			}
			x.stats.indexCreated()
			x.log.Debug("id index created", "db", db, "table", table)
		}
	}

	counted := make(map[string]*collTable, len(tables))
	for c, table := range tables {
		// SQLite counts from the smallest index, the devstore's: a few
		// hundred microseconds for thousands of documents.
		var n int64
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(table)).Scan(&n); err != nil {
			return fmt.Errorf("id index: count %s.%s: %w", db, table, err)
		}
		counted[c] = &collTable{name: table, rows: n, countedAt: time.Now()}
	}

	x.mu.Lock()
	defer x.mu.Unlock()
	if x.tables[db] == nil {
		x.tables[db] = map[string]*collTable{}
	}
	if coll != "" && len(tables) == 0 {
		delete(x.tables[db], coll) // gone without a drop through the gate
	}
	for c, t := range counted {
		x.tables[db][c] = t
	}
	return nil
}

// collectionTables maps collection names to table names, all of them or
// only coll's.
func collectionTables(ctx context.Context, conn *sql.DB, coll string) (map[string]string, error) {
	q := "SELECT name, table_name FROM " + quoteIdent(collectionsTable)
	var args []any
	if coll != "" {
		q += " WHERE name = ?"
		args = append(args, coll)
	}
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tables := map[string]string{}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			return nil, err
		}
		tables[name] = table
	}
	return tables, rows.Err()
}

// existingIndexes returns the names of the indexes in the database.
func existingIndexes(ctx context.Context, conn *sql.DB) (map[string]bool, error) {
	rows, err := conn.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'index'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		names[name] = true
	}
	return names, rows.Err()
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
