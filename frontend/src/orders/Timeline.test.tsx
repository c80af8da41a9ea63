import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { entry } from '../test/fixtures';
import { Timeline } from './Timeline';

function items() {
  return within(screen.getByRole('list', { name: 'Order timeline' })).getAllByRole('listitem');
}

describe('Timeline', () => {
  it('shows every entry in version order with its title and detail', () => {
    render(
      <Timeline
        entries={[
          entry(1, { detail: 'Order placed' }),
          entry(2, { status: 'VALIDATED', detail: 'Order is valid' }),
          entry(3, { kind: 'INFO', status: 'VALIDATED', detail: 'Shipping address changed' }),
        ]}
      />,
    );
    const rows = items();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('Received');
    expect(rows[0]).toHaveTextContent('Order placed');
    expect(rows[1]).toHaveTextContent('Validated');
    expect(rows[2]).toHaveTextContent('Update');
    expect(rows[2]).toHaveTextContent('Shipping address changed');
  });

  it('explains a failure that a retry recovered from', () => {
    render(
      <Timeline
        entries={[
          entry(1),
          entry(2, { kind: 'FAILURE', status: 'RECEIVED', detail: 'payment: card network error (attempt 1)' }),
          entry(3, { status: 'PAID' }),
        ]}
      />,
    );
    const failure = items()[1];
    expect(failure).toHaveTextContent('A step failed');
    expect(failure).toHaveTextContent('tried again automatically and the order carried on');
  });

  it('explains a timeout that is still being retried', () => {
    render(<Timeline entries={[entry(1), entry(2, { kind: 'FAILURE', detail: 'shipping timed out after 5s' })]} />);
    expect(items()[1]).toHaveTextContent('took longer than its time limit');
    expect(items()[1]).toHaveTextContent('retries it automatically');
  });

  it('explains a permanent failure and its compensations', () => {
    render(
      <Timeline
        entries={[
          entry(1),
          entry(2, { status: 'INVENTORY_RESERVED' }),
          entry(3, { kind: 'FAILURE', status: 'INVENTORY_RESERVED', detail: 'payment declined (permanent)' }),
          entry(4, { kind: 'COMPENSATION', status: 'INVENTORY_RESERVED', detail: 'Stock released' }),
          entry(5, { status: 'FAILED', detail: 'payment declined' }),
        ]}
      />,
    );
    const rows = items();
    expect(rows[2]).toHaveTextContent('retrying cannot fix');
    expect(rows[2]).toHaveTextContent('order was stopped and earlier steps were undone');
    expect(rows[3]).toHaveTextContent('Undone');
    expect(rows[3]).toHaveTextContent('went back into stock');
    expect(rows[4]).toHaveTextContent('Failed');
  });

  it('explains a cancellation after payment by what each compensation undid', () => {
    render(
      <Timeline
        entries={[
          entry(1, { status: 'PAID' }),
          entry(2, { kind: 'FAILURE', status: 'SHIPPING', detail: 'Shipping: attempt 1 stalls past its 5s timeout' }),
          entry(3, { kind: 'COMPENSATION', status: 'SHIPPING', detail: 'Shipment cancelled before dispatch' }),
          entry(4, { kind: 'COMPENSATION', status: 'REFUNDED', detail: 'Payment pay_1 refunded: USD 33.99' }),
          entry(5, { kind: 'COMPENSATION', status: 'REFUNDED', detail: 'Reserved stock released' }),
          entry(6, { status: 'CANCELLED', detail: 'Order cancelled: changed my mind' }),
        ]}
      />,
    );
    const rows = items();
    expect(rows[1]).toHaveTextContent('still retrying it when the order was cancelled');
    expect(rows[2]).toHaveTextContent('shipment was called off');
    expect(rows[3]).toHaveTextContent('your payment was refunded in full');
    expect(rows[4]).toHaveTextContent('went back into stock');
    expect(rows[4]).not.toHaveTextContent('refunded');
  });

  it('marks entries that arrive after the page opened', () => {
    const { rerender } = render(<Timeline entries={[entry(1)]} />);
    rerender(<Timeline entries={[entry(1), entry(2, { status: 'VALIDATED' })]} />);
    const [first, second] = items();
    expect(first).not.toHaveClass('timeline__entry--new');
    expect(second).toHaveClass('timeline__entry--new');
  });
});
