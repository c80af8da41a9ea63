package graph

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/orderly-shop/orderly"
)

// HandlerOptions configures the GraphQL endpoint. Zero fields take the
// defaults of DefaultHandlerOptions.
type HandlerOptions struct {
	// OriginAllowed decides whether a browser page of another origin may
	// open a websocket: pass the CORS policy's decision (rs/cors's
	// (*cors.Cors).OriginAllowed), so that HTTP and websockets share one
	// allowlist; nil allows none. A page of this server itself (the same
	// scheme and host) is always allowed, and so are clients that send no
	// Origin (non-browsers).
	OriginAllowed func(*http.Request) bool
	// Introspection enables __schema/__type queries and field suggestions
	// in errors. Turn it off in production.
	Introspection bool
	// TrustForwardedFor takes the client IP (for login rate limits) from the
	// first X-Forwarded-For address, and the scheme of the server's own
	// origin (for websockets) from X-Forwarded-Proto; set it only behind a
	// proxy that sets them.
	TrustForwardedFor bool

	// MaxBodyBytes bounds a POST body (and a websocket message).
	MaxBodyBytes int64
	// MaxComplexity bounds an operation's complexity (see limits.go).
	MaxComplexity int
	// MaxDepth bounds how deep an operation's fields nest.
	MaxDepth int
	// MaxRootFields bounds the root fields of one operation, and MaxScans
	// the reads of one operation that scan a collection on the embedded
	// store (see cost.go). The web app asks for one root field at a time
	// and at most three scans (the operators' order list: a page, its
	// count, the customers' batch); the defaults leave room above that and
	// keep the worst operation within them near a quarter of a second of
	// store time on the embedded store (e2e TestStoreCostLimits).
	MaxRootFields int
	MaxScans      int
	// MaxTokens bounds the tokens the parser reads from one document.
	MaxTokens int
	// QueryCacheSize is how many parsed documents are kept; APQCacheSize how
	// many automatic persisted queries.
	QueryCacheSize int
	APQCacheSize   int

	// WebsocketInitTimeout is how long a websocket may stay without
	// connection_init before it is closed with 4408.
	WebsocketInitTimeout time.Duration
	// SessionRecheckInterval is how often a signed-in websocket checks
	// that its session is still live, closing with 4403 after logout or
	// expiry. With the check's own 5 s bound, the default of 25 s closes
	// a socket within 30 s of the session's end. (An operation started
	// after the end is refused at once: the check also runs before each.)
	SessionRecheckInterval time.Duration
	// WebsocketPingInterval is how often the server pings; a peer that does
	// not pong within two intervals is dropped.
	WebsocketPingInterval time.Duration
	// WebsocketWriteTimeout bounds one websocket write.
	WebsocketWriteTimeout time.Duration
	// MaxSubscriptionsPerConnection caps concurrent operations on one websocket.
	MaxSubscriptionsPerConnection int

	// Extensions are added to the gqlgen server before the limits, so that
	// they see every operation, refused ones included (the server's tracing
	// and metrics). Nil entries are skipped.
	Extensions []graphql.HandlerExtension
}

// DefaultHandlerOptions are production-minded defaults; the server turns
// Introspection on in development.
func DefaultHandlerOptions() HandlerOptions {
	return HandlerOptions{
		MaxBodyBytes:                  64 << 10,
		MaxComplexity:                 5000,
		MaxDepth:                      10,
		MaxRootFields:                 10,
		MaxScans:                      4,
		MaxTokens:                     5000,
		QueryCacheSize:                1000,
		APQCacheSize:                  1000,
		WebsocketInitTimeout:          10 * time.Second,
		WebsocketPingInterval:         15 * time.Second,
		SessionRecheckInterval:        25 * time.Second,
		WebsocketWriteTimeout:         10 * time.Second,
		MaxSubscriptionsPerConnection: 25,
	}
}

func (o HandlerOptions) withDefaults() HandlerOptions {
	d := DefaultHandlerOptions()
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setDur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = d.MaxBodyBytes
	}
	set(&o.MaxComplexity, d.MaxComplexity)
	set(&o.MaxDepth, d.MaxDepth)
	set(&o.MaxRootFields, d.MaxRootFields)
	set(&o.MaxScans, d.MaxScans)
	set(&o.MaxTokens, d.MaxTokens)
	set(&o.QueryCacheSize, d.QueryCacheSize)
	set(&o.APQCacheSize, d.APQCacheSize)
	set(&o.MaxSubscriptionsPerConnection, d.MaxSubscriptionsPerConnection)
	setDur(&o.WebsocketInitTimeout, d.WebsocketInitTimeout)
	setDur(&o.WebsocketPingInterval, d.WebsocketPingInterval)
	setDur(&o.SessionRecheckInterval, d.SessionRecheckInterval)
	setDur(&o.WebsocketWriteTimeout, d.WebsocketWriteTimeout)
	return o
}

// NewExecutableSchema returns the schema bound to r's resolvers, with the
// @auth directive and the complexity weights.
func (r *Resolver) NewExecutableSchema() graphql.ExecutableSchema {
	cfg := Config{Resolvers: r}
	cfg.Directives.Auth = authDirective
	setComplexity(&cfg.Complexity)
	return NewExecutableSchema(cfg)
}

// NewHandler returns the GraphQL endpoint (mount it at /graphql): GraphQL
// over HTTP (POST and GET) and graphql-transport-ws over websocket, with
// authentication from the Authorization header or the connection_init
// payload, limits, persisted queries and the error presenter.
func NewHandler(r *Resolver, opts HandlerOptions) http.Handler {
	opts = opts.withDefaults()
	srv := handler.New(r.NewExecutableSchema())

	checkSession := func(ctx context.Context, authorization string) error {
		_, err := r.Authenticate(ctx, authorization)
		return err
	}
	ws := &gorillaWebsocket{
		upgrader: websocket.Upgrader{
			HandshakeTimeout: 10 * time.Second,
			CheckOrigin:      func(req *http.Request) bool { return originAllowed(req, opts) },
			// Idle sockets (most are: a subscription waits for changes)
			// hold no write buffer; each write borrows one.
			WriteBufferPool: &sync.Pool{},
		},
		initTimeout:      opts.WebsocketInitTimeout,
		writeTimeout:     opts.WebsocketWriteTimeout,
		maxSubscriptions: opts.MaxSubscriptionsPerConnection,
		checkSession:     checkSession,
		sessions:         &sessionWatch{check: checkSession, every: opts.SessionRecheckInterval},
	}
	readLimit := opts.MaxBodyBytes
	srv.AddTransport(transport.Websocket{
		Implementation:   ws,
		InitFunc:         r.websocketInit,
		PingPongInterval: opts.WebsocketPingInterval,
		PayloadReadLimit: &readLimit,
		ErrorFunc: func(ctx context.Context, err error) {
			r.logger().DebugContext(ctx, "graph: websocket", "error", err)
		},
	})
	srv.AddTransport(httpTransport{maxBodyBytes: opts.MaxBodyBytes})

	srv.SetErrorPresenter(r.presentError)
	srv.SetRecoverFunc(r.recoverPanic)
	srv.SetParserTokenLimit(opts.MaxTokens)
	srv.SetQueryCache(lru.New[*ast.QueryDocument](opts.QueryCacheSize))
	srv.SetDisableSuggestion(!opts.Introspection)
	for _, ext := range opts.Extensions {
		if ext != nil {
			srv.Use(ext)
		}
	}
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(noIntrospection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](opts.APQCacheSize)})
	srv.Use(depthLimit{Max: opts.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(opts.MaxComplexity))
	srv.Use(storeLimit{MaxRootFields: opts.MaxRootFields, MaxScans: opts.MaxScans})
	srv.AroundOperations(takeTurns)
	srv.AroundRootFields(takeTurn)
	srv.AroundResponses(r.withLoaders)

	return r.authenticateHTTP(opts, srv)
}

// authenticateHTTP puts the client IP and the bearer token's customer in the
// request context, and screens websocket upgrades (origin, subprotocol)
// before gqlgen sees them.
func (r *Resolver) authenticateHTTP(opts HandlerOptions, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mediaType, ok := negotiate(req.Header.Get("Accept"))
		if !ok {
			mediaType = mediaJSON
		}
		if websocket.IsWebSocketUpgrade(req) {
			if !originAllowed(req, opts) {
				writeHTTPError(w, mediaJSON, http.StatusForbidden, "FORBIDDEN", "origin not allowed")
				return
			}
			if !slices.Contains(websocket.Subprotocols(req), wsSubprotocol) {
				writeHTTPError(w, mediaJSON, http.StatusBadRequest, "BAD_REQUEST", "use the graphql-transport-ws subprotocol")
				return
			}
		} else if req.Header.Get("Upgrade") != "" {
			writeHTTPError(w, mediaJSON, http.StatusBadRequest, "BAD_REQUEST", "only websocket upgrades are supported")
			return
		}
		ctx := withClientIP(req.Context(), clientAddress(req, opts.TrustForwardedFor))
		ctx, err := r.Authenticate(ctx, req.Header.Get("Authorization"))
		if err != nil {
			code := orderly.ErrorCode(err)
			if code == orderly.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="orderly"`)
				writeHTTPError(w, mediaType, http.StatusUnauthorized, code, orderly.ErrorMessage(err))
				return
			}
			r.logger().ErrorContext(ctx, "graph: authentication failed", "error", err)
			writeHTTPError(w, mediaType, http.StatusServiceUnavailable, orderly.EUNAVAILABLE, "authentication is unavailable; try again")
			return
		}
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// websocketInit authenticates a websocket from the credentials it runs on
// (connectionAuthorization): those of its connection_init payload, else
// those of the upgrade request. A bad token closes the socket with 4403.
func (r *Resolver) websocketInit(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	next, err := r.Authenticate(ctx, connectionAuthorization(ctx, p))
	if err != nil {
		ctx = transport.WithWebsocketCloseCode(ctx, closeForbidden)
		ctx = transport.AppendCloseReason(ctx, "Forbidden")
		if orderly.ErrorCode(err) != orderly.EUNAUTHORIZED {
			r.logger().ErrorContext(ctx, "graph: websocket authentication failed", "error", err)
		}
		return ctx, nil, err
	}
	return next, nil, nil
}

// connectionAuthorization is the credential a websocket runs on, as an
// Authorization value: the connection_init payload's (initAuthorization) if
// it has one, else the upgrade request's Authorization header, which
// authenticateHTTP checked and left in ctx; "" when anonymous. The init
// check and the session watch both read it here, so a socket is watched
// however it signed in.
func connectionAuthorization(ctx context.Context, p transport.InitPayload) string {
	if auth := initAuthorization(p); auth != "" {
		return auth
	}
	if token := sessionToken(ctx); token != "" {
		return "Bearer " + token
	}
	return ""
}

// initAuthorization returns a connection_init payload's credentials as an
// Authorization value: {"authorization": "Bearer <token>"} as is, {"token":
// "<token>"} as "Bearer <token>", "" when there are none.
func initAuthorization(p transport.InitPayload) string {
	if auth := p.Authorization(); auth != "" {
		return auth
	}
	if tok := p.GetString("token"); tok != "" {
		return "Bearer " + tok
	}
	return ""
}

// originAllowed decides a websocket upgrade's Origin: none (not a
// browser), a page of this server (sameOrigin), or one the CORS policy
// allows (opts.OriginAllowed).
func originAllowed(req *http.Request, opts HandlerOptions) bool {
	origin := req.Header.Get("Origin")
	if origin == "" || sameOrigin(req, origin, opts.TrustForwardedFor) {
		return true
	}
	return opts.OriginAllowed != nil && opts.OriginAllowed(req)
}

// sameOrigin reports whether origin is this server's own, scheme and host
// both: https when the request came over TLS (or, behind a trusted proxy,
// says X-Forwarded-Proto: https), http otherwise. ftp://host, or
// https://host on a plain-http listener, is another origin.
func sameOrigin(req *http.Request, origin string, trustForwarded bool) bool {
	scheme := "http"
	if req.TLS != nil || (trustForwarded && strings.EqualFold(req.Header.Get("X-Forwarded-Proto"), "https")) {
		scheme = "https"
	}
	return req.Host != "" && strings.EqualFold(origin, scheme+"://"+req.Host)
}

// clientAddress returns the caller's IP for rate limiting.
func clientAddress(req *http.Request, trustForwardedFor bool) string {
	if trustForwardedFor {
		if xff := req.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		return req.RemoteAddr
	}
	return host
}
