// Package orderly holds the domain of the Orderly order-processing system: the
// types every other package speaks (orders, products, carts, money, customers,
// rewards) and the service interfaces they meet through.
//
// It depends on the standard library only. Implementations live in packages
// named for what they use: mongodb (storage and the change feed), workflows
// (Temporal workflows, activities and the client that drives them) and graph
// (the GraphQL API). Only the binaries in server/ and worker/ wire them together.
package orderly
