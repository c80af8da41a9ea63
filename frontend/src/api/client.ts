import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

/** Where the live (websocket) connection stands, for the header indicator. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export interface OrderlyClientOptions {
  /** The session token, sent as `Authorization: Bearer` on HTTP and in connection_init. */
  token: string | null;
  /** Absolute http(s) URL of the GraphQL endpoint. */
  httpUrl: string;
  /** Absolute ws(s) URL of the same endpoint. */
  wsUrl: string;
  onStatus: (status: ConnectionStatus) => void;
  /** Called when the server no longer accepts the token (expired or revoked). */
  onUnauthorized: () => void;
  /** Transports, replaceable in tests; default the browser's. */
  fetch?: typeof fetch;
  webSocketImpl?: unknown;
}

export interface OrderlyClient {
  client: Client;
  /** Closes the websocket; the client must not be used afterwards. */
  dispose: () => void;
}

/** The close code of a connection_init whose credentials the server refused. */
const FORBIDDEN_CLOSE = 4403;

/** Exponential backoff with jitter, capped so a long outage is noticed within seconds of its end. */
export function retryDelay(retries: number, random: () => number = Math.random): number {
  const base = Math.min(1000 * 2 ** retries, 10_000);
  return base / 2 + random() * (base / 2);
}

function isCloseEvent(e: unknown): e is { code: number } {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'number';
}

/**
 * Creates the GraphQL client of one session: urql over HTTP for queries and
 * mutations, graphql-ws (graphql-transport-ws) for subscriptions. A new
 * session (login, logout) gets a new client, so no cached data leaks from one
 * user to the next.
 */
export function createOrderlyClient(opts: OrderlyClientOptions): OrderlyClient {
  const authorization = opts.token ? `Bearer ${opts.token}` : null;
  let active = 0;
  let everConnected = false;

  const ws: WsClient = createWsClient({
    url: opts.wsUrl,
    webSocketImpl: opts.webSocketImpl,
    lazy: true,
    lazyCloseTimeout: 3_000,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelay(retries))),
    // Network drops arrive as close events too; only a refused session is final.
    shouldRetry: (e) => !(isCloseEvent(e) && e.code === FORBIDDEN_CLOSE),
    connectionParams: () => (authorization ? { authorization } : {}),
    on: {
      connecting: (isRetry) => opts.onStatus(isRetry || everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        everConnected = true;
        opts.onStatus('connected');
      },
      closed: (e) => {
        if (isCloseEvent(e) && e.code === FORBIDDEN_CLOSE && authorization) opts.onUnauthorized();
        opts.onStatus(active > 0 ? 'reconnecting' : 'idle');
      },
    },
  });

  const client = new Client({
    url: opts.httpUrl,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    requestPolicy: 'cache-and-network',
    fetchOptions: () => (authorization ? { headers: { authorization } } : {}),
    exchanges: [
      mapExchange({
        onError(error) {
          const unauthorized = error.graphQLErrors.some((e) => e.extensions['code'] === 'UNAUTHORIZED');
          if (unauthorized && authorization) opts.onUnauthorized();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const payload = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              active++;
              let done = false;
              const release = () => {
                if (!done) {
                  done = true;
                  active--;
                }
              };
              const unsubscribe = ws.subscribe<Record<string, unknown>, Record<string, unknown>>(payload, {
                next: (v) => sink.next(v),
                error: (e) => {
                  release();
                  sink.error(e);
                },
                complete: () => {
                  release();
                  sink.complete();
                },
              });
              return {
                unsubscribe: () => {
                  release();
                  unsubscribe();
                },
              };
            },
          };
        },
      }),
    ],
  });

  return { client, dispose: () => void ws.dispose() };
}

/** The API's URLs on the page's own origin (the Go server, or Vite's proxy in development). */
export function endpointsFor(location: Pick<Location, 'protocol' | 'host'>): { httpUrl: string; wsUrl: string } {
  const wsProtocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return {
    httpUrl: `${location.protocol}//${location.host}/graphql`,
    wsUrl: `${wsProtocol}//${location.host}/graphql`,
  };
}
