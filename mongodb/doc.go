// Package mongodb implements Orderly's domain services on MongoDB through the
// official driver: inventory, carts, orders (with their payment ledgers and
// returns), payments, accounts and sessions, rewards, notifications,
// operator settings, the products the in-memory catalog loads, the change
// feed, and the simulated payment provider's own records (paysim.Store).
//
// The code runs on real MongoDB 7/8 and on the embedded development store
// (FerretDB v1.24 on SQLite behind tools/devstore, which admits one write at
// a time per document — writes that name no single document run alone —,
// indexes the _id path and serves a filter anchored on _id through that
// index). It uses only what both do correctly: single-document atomic
// updates, no transactions, $lookup, $facet, $expr, arrayFilters, positional
// updates, TTL or partial indexes, Decimal128 or multi-accumulator $group. The
// rules the documents follow (what an event does to an order, what a cart
// claim does to a cart) are functions of the root package; this package only
// persists what they return.
//
// # How each operation is served
//
// The documents and keys are designed so that every operation an order makes
// is found by _id: keys are _ids wherever a lookup is by key, and every guard
// is one more condition beside the _id. On MongoDB that is the _id index; on
// the embedded store the devstore's index on FerretDB's _id expression, and
// for a guarded write its _id lookup followed by the write by _id. So each is
// O(log n) on both, flat however many orders are stored.
//
//	operation                      document / key                     query
//	place an order                 orders, _id = OrderIDFor(customer, key)   insertOne; a duplicate _id is the idempotent repeat
//	status / timeline / payment /  orders by _id                      findOne {_id}, then
//	  ledger entry / shipment /                                         updateOne {_id, version} $set + $push
//	  return / address event
//	record the workflow run        orders by _id                      updateOne {_id} $set
//	read one order                 orders by _id                      findOne {_id}
//	read orders by IDs             orders                             find {_id: {$in}}
//	reserve (per location)         products by _id, stockAt.<loc>,    findOne {_id}, then updateOne {_id, stockAt.<loc> >= q per location,
//	                                 holds.<order>.<loc>                holds.<order> absent} $inc stockAt/stock, $set holds.<order>
//	release / commit (a parcel)    products by _id, holds.<order>     findOne {_id}, then updateOne {_id, holds.<order>.<loc> = q}
//	                                                                    $inc stockAt.<loc> (release only), $unset the hold
//	availability for sourcing      products by _id, locations by _id  find {_id: {$in}} on each
//	restock a received return /    products by _id, restocks[]        findOne {_id}, then updateOne {_id, restocks != key}
//	  an operator's keyed restock                                       $inc stockAt.<loc>, stock
//	list the locations             locations, _id = LocationIDFor     find {} sorted by _id: a handful of documents
//	seed the locations             locations, _id = LocationIDFor     insertOne; a duplicate _id is the repeat
//	charge / refund (before the    payments, _id = PaymentIDFor(order) insertOne / findOneAndUpdate {_id, status}
//	  ledger)
//	provider: first authorization  paysim_payments, _id =             insertOne; a duplicate _id is the repeat
//	                                 paysim.PaymentIDFor(key)
//	provider: every other movement paysim_payments by _id             findOne {_id}, then replaceOne {_id, version}
//	notify                         notifications, deterministic _id   insertOne; a duplicate is the repeat
//	rewards                        rewards, _id = customer            findOne {_id}, then insertOne or replaceOne {_id, version}
//	cart read / change             carts, _id = customer              findOne {_id}, then updateOne {_id, version}
//	cart claim at checkout         carts by _id                       the same guarded update, lines and checkout together
//	session lookup                 sessions, _id = SHA-256(token)     findOne {_id}, then the customer by _id
//	announce a change              counters {_id: "changes"},         findOneAndUpdate {_id} $inc, then insertOne {_id: seq}
//	                               changes, _id = sequence
//	follow the change log          counters, changes by _id           findOne {_id} per poll, then one findOne {_id: seq} per change
//	read a changed document        its collection by _id              findOne {_id}, once per change per process
//
// Lists are the exception, and are bounded instead: a customer's or an
// operator's orders (in each of their sorts), the operators' returns queue
// (orders with a return awaiting a decision), a customer's notifications, the
// sweep of pending checkouts and the dashboard's reads (the orders changed
// in its window, at most orderly.MaxDashboardOrders; a count by status)
// filter and sort on other fields. MongoDB serves them from the indexes in
// indexes.go; the embedded store scans the collection, so the API bounds what
// one list request may cost (and keeps a dashboard a few seconds), and reads
// do not hold the devstore's gate, so a scan never stalls a writer. A search
// of the orders by ID is a lookup by _id; by e-mail, a lookup of the
// customer by the unique email index, then that customer's list.
//
// # Guarantees
//
// Every guarantee rests on one conditional write to one document:
//
//   - inventory: stock is per product and location on the product's
//     document, and a reservation is one conditional $inc of each location's
//     units and $set of the order's hold, guarded by every location's units
//     and the hold's absence, so no location is ever oversold and a retry
//     never reserves twice; a release is guarded by the exact units held at
//     that location, so each unit goes back once, where it came from;
//   - orders: each version is written once, under the version it was applied
//     to, so no timeline entry is lost, repeated or reordered;
//   - payments, notifications and orders: a deterministic _id makes the insert
//     happen once;
//   - money: a ledger entry rides the event that reports it (one guarded
//     write, idempotent by event ID), and Order.Apply refuses an entry the
//     ledger does not allow (a capture above the hold, a refund above what
//     was captured); the provider records each movement once under its
//     idempotency key, in one guarded write of its payment document;
//   - returns: a restock is a conditional $inc and $push of the return ID,
//     so a return's units come back once;
//   - carts: a claim takes the lines of one cart version in the same write
//     that empties it, so a cart becomes at most one order;
//   - rewards: a save only replaces an older version.
//
// # The change feed
//
// On a replica set or a sharded cluster the feed follows a change stream
// with the changed document looked up (resumable after a restart from a
// saved position). Elsewhere writers announce each change in the change log
// before making it (changelog.go), and the feed reads the log by sequence
// (feedlog.go): a change costs the same whatever the number of documents
// stored. Either way a process reads each changed document once and hands
// that copy to every subscriber that follows it.
package mongodb
