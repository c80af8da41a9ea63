// Package bench measures Orderly end to end and writes the side-by-side
// report of `make bench` (see cmd/orderly-bench): every figure a ratio
// against a baseline measured in the same run on the same machine.
//
//   - End to end: closed-loop shoppers through the GraphQL API (addToCart,
//     placeOrder, follow orderUpdated over graphql-transport-ws to the end)
//     against the real server and worker binaries, the embedded store and a
//     Temporal dev server, beside a bare Temporal program of the same shape
//     (package bare) on the same dev server; at several shopper counts on a
//     fresh store and with orders already stored.
//   - Catalog read: products(first: 20) from the real server, against the
//     same graph handler over an in-memory catalog in this process.
//   - Subscription fan-out: many subscribers, one websocket each, on one
//     order whose workflow an operator lets run: delivery latency from each
//     entry's time, order of delivery, server memory per subscriber.
//
// The harness uses only what a user of Orderly has: the binaries (started
// through devstack), the GraphQL API, Temporal's API, and the store's wire
// protocol for its counters and to copy stored orders. It asserts nothing
// about speed; the smoke test checks only that a short run yields a
// complete report.
package bench
