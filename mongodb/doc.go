// Package mongodb implements Orderly's domain services on MongoDB through the
// official driver: the catalog, inventory, carts, orders, payments, accounts,
// rewards, notifications, operator settings, and the change feed.
//
// The code runs on real MongoDB 7/8 and on the embedded development store
// (FerretDB v1.24 on SQLite behind a gate that admits one request at a time).
// It therefore uses only what both do correctly: single-document atomic
// updates, no transactions, $lookup, $facet, $expr, arrayFilters, positional
// updates, TTL or partial indexes, Decimal128 or multi-accumulator $group.
// Every guarantee rests on one conditional write to one document:
//
//   - inventory: a reservation is a conditional $inc and $push on the product;
//   - orders: a timeline entry is appended under an optimistic version check;
//   - payments and notifications: a deterministic _id makes the insert happen once;
//   - rewards: a save only replaces an older version.
//
// Change streams need a replica set; on anything else the change feed polls
// (see Feed).
package mongodb
