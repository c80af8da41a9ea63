import { vi } from 'vitest';
import type { Client } from 'urql';
import { fromValue, never, type Source } from 'wonka';
import type { OrderFieldsFragment, TimelineEntryFieldsFragment } from '../gql/graphql';

/** A timeline entry; version and at are derived from each other for brevity. */
export function entry(version: number, over: Partial<TimelineEntryFieldsFragment> = {}): TimelineEntryFieldsFragment {
  return {
    version,
    kind: 'STATUS',
    status: 'RECEIVED',
    detail: '',
    at: new Date(Date.UTC(2026, 0, 1, 12, 0, version)).toISOString(),
    ...over,
  };
}

export function order(timeline: TimelineEntryFieldsFragment[], over: Partial<OrderFieldsFragment> = {}): OrderFieldsFragment {
  const last = timeline.at(-1);
  return {
    id: 'ord_1',
    status: last?.status ?? 'RECEIVED',
    version: last?.version ?? 1,
    createdAt: '2026-01-01T12:00:00.000Z',
    updatedAt: '2026-01-01T12:00:00.000Z',
    itemCount: 2,
    failureReason: null,
    canCancel: true,
    canChangeAddress: true,
    workflowId: 'order_ord_1',
    subtotal: { formatted: '$40.00' },
    shippingCost: { formatted: '$5.00' },
    total: { formatted: '$45.00' },
    lines: [{ productId: 'prd_1', name: 'Mug', quantity: 2, unitPrice: { formatted: '$20.00' }, lineTotal: { formatted: '$40.00' } }],
    shippingAddress: { name: 'Ada', line1: '1 Main St', line2: '', city: 'Springfield', postalCode: '12345', country: 'US' },
    payment: null,
    paymentMethod: null,
    ledger: null,
    returns: [],
    returnsUntil: null,
    returnableLines: [],
    shipments: [],
    timeline,
    ...over,
  };
}

type Handler = (query: string, variables: unknown) => Source<unknown>;

interface Request {
  query: { definitions: readonly unknown[] };
  variables: unknown;
}

/** How urql calls a client: the operation, and its context (requestPolicy…), which the spies record too. */
type Execute = (request: Request, context?: unknown) => Source<unknown>;

/**
 * A urql client whose operations are answered by handlers keyed by operation
 * name; unknown operations never answer. The spies record every call.
 */
export function mockClient(handlers: Partial<Record<string, Handler>>) {
  const answer = (request: Request) => {
    const op = request.query.definitions.find(
      (d): d is { kind: 'OperationDefinition'; name?: { value: string } } =>
        typeof d === 'object' && d !== null && (d as { kind: string }).kind === 'OperationDefinition',
    );
    const name = op?.name?.value ?? '';
    const handler = handlers[name];
    return handler ? handler(name, request.variables) : never;
  };
  const spies = {
    executeQuery: vi.fn<Execute>(answer),
    executeMutation: vi.fn<Execute>(answer),
    executeSubscription: vi.fn<Execute>(answer),
  };
  return { client: spies as unknown as Client, spies };
}

/** A handler that answers once with data. */
export const data = (value: unknown): Handler => () => fromValue({ data: value, stale: false, hasNext: false });
