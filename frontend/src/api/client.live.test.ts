import { gql } from '@urql/core';
import { waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOrderlyClient, type ConnectionStatus, type OrderlyClient } from './client';

interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

/** Just enough of a WebSocket server speaking graphql-transport-ws, in memory. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static sockets: FakeSocket[] = [];

  readyState = FakeSocket.CONNECTING;
  readonly protocol = 'graphql-transport-ws';
  readonly sent: Message[] = [];
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.sockets.push(this);
    setTimeout(() => {
      this.readyState = FakeSocket.OPEN;
      this.onopen?.({});
    });
  }

  send(data: string) {
    const message = JSON.parse(data) as Message;
    this.sent.push(message);
    if (message.type === 'connection_init') this.reply({ type: 'connection_ack' });
  }

  reply(message: Message) {
    setTimeout(() => this.onmessage?.({ data: JSON.stringify(message) }));
  }

  close(code = 1000, reason = '') {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code, reason, wasClean: true });
  }

  /** The network goes away under the client. */
  drop() {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code: 1006, reason: '', wasClean: false });
  }
}

const Subscription = gql`
  subscription Follow {
    myOrdersUpdated {
      id
    }
  }
`;
const Query = gql`
  query Me {
    me {
      id
    }
  }
`;

let api: OrderlyClient | undefined;
afterEach(() => {
  api?.dispose();
  FakeSocket.sockets = [];
});

function start(token: string | null, fetch?: typeof globalThis.fetch) {
  const statuses: ConnectionStatus[] = [];
  const onUnauthorized = vi.fn();
  api = createOrderlyClient({
    token,
    httpUrl: 'http://app.test/graphql',
    wsUrl: 'ws://app.test/graphql',
    onStatus: (s) => statuses.push(s),
    onUnauthorized,
    webSocketImpl: FakeSocket,
    ...(fetch ? { fetch } : {}),
  });
  return { client: api.client, statuses, onUnauthorized };
}

describe('the live connection', () => {
  it('sends the token in connection_init and reports connected, then reconnecting after a drop, then connected again', async () => {
    const { client, statuses } = start('tok');
    const received: unknown[] = [];
    const sub = client.subscription(Subscription, {}).subscribe((r) => received.push(r.data));

    await waitFor(() => expect(statuses.at(-1)).toBe('connected'));
    const first = FakeSocket.sockets[0];
    expect(first?.sent[0]).toEqual({ type: 'connection_init', payload: { authorization: 'Bearer tok' } });
    const subscribe = first?.sent.find((m) => m.type === 'subscribe');
    expect(subscribe).toBeDefined();
    first?.reply({ type: 'next', id: subscribe?.id ?? '', payload: { data: { myOrdersUpdated: { id: 'ord_1' } } } });
    await waitFor(() => expect(received).toHaveLength(1));

    first?.drop();
    expect(statuses.at(-1)).toBe('reconnecting');
    await waitFor(() => expect(statuses.at(-1)).toBe('connected'), { timeout: 3000 });
    const second = FakeSocket.sockets[1];
    expect(second?.sent.map((m) => m.type)).toEqual(['connection_init', 'subscribe']);
    sub.unsubscribe();
  });

  it('stays idle without a subscription and sends no credentials when signed out', async () => {
    const { client, statuses } = start(null);
    expect(FakeSocket.sockets).toHaveLength(0);
    expect(statuses).toEqual([]);
    const sub = client.subscription(Subscription, {}).subscribe(() => {});
    await waitFor(() => expect(statuses.at(-1)).toBe('connected'));
    expect(FakeSocket.sockets[0]?.sent[0]).toEqual({ type: 'connection_init', payload: {} });
    sub.unsubscribe();
  });

  it('hands a session the server refused (4403) to onUnauthorized', async () => {
    const { client, onUnauthorized } = start('revoked');
    const sub = client.subscription(Subscription, {}).subscribe(() => {});
    await waitFor(() => expect(FakeSocket.sockets).toHaveLength(1));
    FakeSocket.sockets[0]?.close(4403, 'Forbidden');
    expect(onUnauthorized).toHaveBeenCalledOnce();
    sub.unsubscribe();
  });
});

describe('HTTP requests', () => {
  const respond = (body: unknown) =>
    vi.fn<typeof fetch>(() =>
      Promise.resolve(new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })),
    );

  it('carry the token as a bearer Authorization header', async () => {
    const fetch = respond({ data: { me: null } });
    const { client } = start('tok', fetch);
    await client.query(Query, {}).toPromise();
    const init = fetch.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok');
  });

  it('report an UNAUTHORIZED answer to a signed-in client', async () => {
    const fetch = respond({ data: null, errors: [{ message: 'sign in', extensions: { code: 'UNAUTHORIZED' } }] });
    const { client, onUnauthorized } = start('expired', fetch);
    await client.query(Query, {}).toPromise();
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });
});
