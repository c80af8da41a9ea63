// Package graph is Orderly's GraphQL API: the schema (graph/*.graphqls), its
// thin resolvers over the root package's service interfaces, the @auth
// directive, error presentation, dataloaders, limits and the
// graphql-transport-ws websocket transport.
//
// Resolver is the dependency root; NewHandler builds the http.Handler that
// the server mounts at /graphql.
package graph
