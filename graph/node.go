package graph

// Node is the Go side of the schema's Node interface: any object that
// node(id:) can return (*orderly.Product, *orderly.Order, *orderly.Customer).
// It is empty because those types live in the root package, which knows
// nothing of GraphQL; node.resolvers.go decides which IDs resolve to what.
type Node interface{}
