import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeSubject } from 'wonka';
import type { OrderFieldsFragment } from '../gql/graphql';
import { data, entry, mockClient, order } from '../test/fixtures';
import { renderPage } from '../test/render';
import { OrderPage } from './OrderPage';

const received = entry(1, { detail: 'Order placed' });
const validated = entry(2, { status: 'VALIDATED', detail: 'Order is valid' });
const reserved = entry(3, { status: 'INVENTORY_RESERVED', detail: 'Stock reserved' });
const paid = entry(4, { status: 'PAID', detail: 'Charged $45.00' });

/** An orderUpdated event as the server sends it: the order's fields without its timeline, and the newest entry. */
function event(o: OrderFieldsFragment, initial = false) {
  const { timeline, ...fields } = o;
  return { data: { orderUpdated: { initial, entry: timeline.at(-1), order: fields } }, stale: false, hasNext: true };
}

function timelineTitles() {
  return within(screen.getByRole('list', { name: 'Order timeline' }))
    .getAllByRole('listitem')
    .map((li) => li.querySelector('.timeline__title')?.textContent);
}

describe('OrderPage', () => {
  it('grows the timeline live from orderUpdated events, in order, without duplicates', async () => {
    const live = makeSubject<ReturnType<typeof event>>();
    const { client, spies } = mockClient({
      Order: data({ order: order([received, validated]) }),
      OrderUpdated: () => live.source,
    });
    renderPage(<OrderPage />, { client, path: '/orders/:id', route: '/orders/ord_1' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Order ord_1' })).toBeInTheDocument();
    expect(timelineTitles()).toEqual(['Received', 'Validated']);
    expect(spies.executeSubscription.mock.calls[0]?.[0].variables).toEqual({ id: 'ord_1' });

    act(() => {
      live.next(event(order([received, validated]), true));
      live.next(event(order([received, validated, reserved])));
      live.next(event(order([received, validated, reserved])));
      live.next(event(order([received, validated, reserved, paid], { payment: { status: 'CHARGED', amount: { formatted: '$45.00' } } })));
      // A reconnect replays an older state; the page must not go back.
      live.next(event(order([received, validated]), true));
    });

    expect(timelineTitles()).toEqual(['Received', 'Validated', 'Items reserved', 'Paid']);
    expect(screen.getByRole('status', { name: 'Order status' })).toHaveTextContent('Paid');
    expect(screen.getByText('Payment: $45.00, charged')).toBeInTheDocument();
  });

  it('reads the order again when an event shows it missed an entry', async () => {
    const live = makeSubject<ReturnType<typeof event>>();
    const { client, spies } = mockClient({
      Order: data({ order: order([received]) }),
      OrderUpdated: () => live.source,
    });
    renderPage(<OrderPage />, { client, path: '/orders/:id', route: '/orders/ord_1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Order ord_1' })).toBeInTheDocument();
    const reads = spies.executeQuery.mock.calls.length;
    // Version 3 arrives, version 2 never did: the page asks for the order again.
    act(() => live.next(event(order([received, validated, reserved]))));
    expect(spies.executeQuery.mock.calls.length).toBeGreaterThan(reads);
    expect((spies.executeQuery.mock.calls.at(-1) as unknown[] | undefined)?.[1]).toMatchObject({ requestPolicy: 'network-only' });
  });

  it('offers cancel and address change only while the order allows them', async () => {
    const live = makeSubject<ReturnType<typeof event>>();
    const { client } = mockClient({ Order: data({ order: order([received]) }), OrderUpdated: () => live.source });
    renderPage(<OrderPage />, { client, path: '/orders/:id', route: '/orders/ord_1' });

    expect(await screen.findByRole('button', { name: 'Cancel order…' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Change address…' })).toBeInTheDocument();

    const shipped = entry(2, { status: 'SHIPPED' });
    act(() => live.next(event(order([received, shipped], { canCancel: false, canChangeAddress: false }))));
    expect(screen.queryByRole('button', { name: 'Cancel order…' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Change address…' })).not.toBeInTheDocument();
  });

  it('shows the reason of a failed order', async () => {
    const failed = order([received, entry(2, { status: 'FAILED' })], { failureReason: 'payment declined', canCancel: false, canChangeAddress: false });
    const { client } = mockClient({ Order: data({ order: failed }) });
    renderPage(<OrderPage />, { client, path: '/orders/:id', route: '/orders/ord_1' });
    expect(await screen.findByText('Reason: payment declined')).toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'Order status' })).toHaveTextContent('Failed');
  });

  it('says when the order does not exist', async () => {
    const { client } = mockClient({ Order: data({ order: null }) });
    renderPage(<OrderPage />, { client, path: '/orders/:id', route: '/orders/nope' });
    expect(await screen.findByText('Order not found')).toBeInTheDocument();
  });
});
