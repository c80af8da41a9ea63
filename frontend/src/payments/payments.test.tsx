import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { describe, expect, it } from 'vitest';
import type { OrderFieldsFragment } from '../gql/graphql';
import { RefundDialog } from '../operator/RefundDialog';
import { describeEntry } from '../orders/describeEntry';
import { data, entry, mockClient, order } from '../test/fixtures';
import { PaymentLedger } from './PaymentLedger';
import { parseAmount } from './paymentStatus';
import { Returns } from './Returns';

const money = (formatted: string) => ({ formatted });

function captured(over: Partial<OrderFieldsFragment> = {}): OrderFieldsFragment {
  return order([entry(1), entry(2, { status: 'COMPLETED' })], {
    canCancel: false,
    canChangeAddress: false,
    paymentMethod: { brand: 'Visa', last4: '4242' },
    ledger: {
      status: 'PARTIALLY_REFUNDED',
      authorized: money('$0.00'),
      captured: money('$45.00'),
      refunded: money('$5.00'),
      voided: money('$0.00'),
      balance: money('$40.00'),
      refundable: { amount: 4000, currency: 'USD', formatted: '$40.00' },
      expiresAt: null,
      entries: [
        { id: 'auth:ord_1:1', kind: 'AUTHORIZATION', amount: money('$45.00'), transactionId: 'txn_a', declineReason: null, reason: null, shipmentId: null, returnId: null, expiresAt: '2026-01-08T12:00:00Z', at: '2026-01-01T12:00:00Z' },
        { id: 'capture:shp_1', kind: 'CAPTURE', amount: money('$45.00'), transactionId: 'txn_c', declineReason: null, reason: null, shipmentId: 'shp_1', returnId: null, expiresAt: null, at: '2026-01-01T12:01:00Z' },
        { id: 'refund:ord_1:1', kind: 'REFUND', amount: money('$5.00'), transactionId: 'txn_r', declineReason: null, reason: 'late delivery', shipmentId: null, returnId: null, expiresAt: null, at: '2026-01-02T12:00:00Z' },
      ],
    },
    returnsUntil: '2026-01-31T12:00:00Z',
    returnableLines: [{ productId: 'prd_1', quantity: 2 }],
    ...over,
  });
}

describe('parseAmount', () => {
  it.each([
    ['12.50', 1250],
    ['12.5', 1250],
    ['12', 1200],
    ['1,000.00', 100000],
    [' 0.01 ', 1],
    ['0', null],
    ['-5', null],
    ['1.234', null],
    ['12,5', null],
    ['abc', null],
    ['', null],
  ])('%s → %s', (text, want) => {
    expect(parseAmount(text)).toBe(want);
  });
});

describe('PaymentLedger', () => {
  it('shows the status, the figures and every movement', () => {
    const o = captured();
    render(<PaymentLedger ledger={o.ledger!} method={o.paymentMethod} />);
    expect(screen.getByLabelText('Payment status: Partly refunded')).toBeInTheDocument();
    const figures = within(screen.getByLabelText('Payment figures'));
    expect(figures.getByText('Charged').nextSibling).toHaveTextContent('$45.00');
    expect(figures.getByText('Paid, net').nextSibling).toHaveTextContent('$40.00');
    const rows = within(screen.getByRole('list', { name: 'Payment ledger' })).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringMatching(/^Authorized \$45\.00/),
      expect.stringMatching(/^Charged \$45\.00/),
      expect.stringMatching(/^Refunded \$5\.00 — late delivery/),
    ]);
    expect(screen.getByText(/Paid with Visa •••• 4242/)).toBeInTheDocument();
  });
});

describe('Returns', () => {
  it('asks for a return of the chosen units, within what may be returned', async () => {
    const { client, spies } = mockClient({ RequestReturn: data({ requestReturn: { return: { id: 'ret_1' }, order: null, errors: [] } }) });
    render(
      <Provider value={client}>
        <Returns order={captured()} />
      </Provider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Return items…' }));
    const form = within(screen.getByRole('form', { name: 'Return items' }));
    const units = form.getByLabelText(/Mug/);
    expect(form.getByRole('button', { name: 'Request return' })).toBeDisabled();
    fireEvent.change(units, { target: { value: '5' } });
    expect(units).toHaveValue(2); // no more than may be returned
    await userEvent.type(form.getByLabelText(/Why are you returning/), 'too small');
    await userEvent.click(form.getByRole('button', { name: 'Request return' }));
    expect(spies.executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: { orderId: 'ord_1', lines: [{ productId: 'prd_1', quantity: 2 }], reason: 'too small' },
    });
    expect(screen.queryByRole('form', { name: 'Return items' })).not.toBeInTheDocument();
  });

  it('shows the returns asked for, and lets the customer cancel one not yet sent', async () => {
    const ret = {
      id: 'ret_1', status: 'APPROVED' as const, reason: 'too small', carrier: 'UPS', trackingNumber: '1ZRET', note: null,
      canCancel: true, requestedAt: '2026-01-03T12:00:00Z', updatedAt: '2026-01-03T13:00:00Z', refund: null,
      lines: [{ productId: 'prd_1', name: 'Mug', quantity: 1, lineTotal: money('$20.00') }],
    };
    const { client, spies } = mockClient({ CancelReturn: data({ cancelReturn: { order: null, errors: [] } }) });
    render(
      <Provider value={client}>
        <Returns order={captured({ returns: [ret], returnableLines: [] })} />
      </Provider>,
    );
    const item = within(screen.getByRole('listitem', { name: 'Return ret_1' }));
    expect(item.getByText('Approved')).toBeInTheDocument();
    expect(item.getByText('1ZRET')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Return items…' })).not.toBeInTheDocument();
    await userEvent.click(item.getByRole('button', { name: 'Cancel return' }));
    expect(spies.executeMutation.mock.calls[0]?.[0].variables).toEqual({ input: { orderId: 'ord_1', returnId: 'ret_1' } });
  });
});

describe('RefundDialog', () => {
  it('refunds lines, and shows the ledger’s refusal as the workflow words it', async () => {
    const refusal = { code: 'OVER_REFUND', message: 'only 1 of Mug left to refund', field: 'input.lines.0.quantity' };
    const { client, spies } = mockClient({ RefundOrder: data({ refundOrder: { order: null, errors: [refusal] } }) });
    render(
      <Provider value={client}>
        <RefundDialog order={captured()} />
      </Provider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Refund…' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Refund order ord_1' }));
    expect(dialog.getByText('Up to $40.00 is left to refund.')).toBeInTheDocument();
    await userEvent.click(dialog.getByLabelText('Lines'));
    fireEvent.change(dialog.getByLabelText(/Units of Mug/), { target: { value: '2' } });
    await userEvent.type(dialog.getByLabelText(/Reason/), 'chipped');
    await userEvent.click(dialog.getByRole('button', { name: 'Refund' }));
    expect(spies.executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: { orderId: 'ord_1', reason: 'chipped', lines: [{ productId: 'prd_1', quantity: 2 }] },
    });
    expect(await dialog.findByRole('alert')).toHaveTextContent('only 1 of Mug left to refund');
  });

  it('refunds an amount typed in dollars, in cents', async () => {
    const { client, spies } = mockClient({ RefundOrder: data({ refundOrder: { order: null, errors: [] } }) });
    render(
      <Provider value={client}>
        <RefundDialog order={captured()} />
      </Provider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Refund…' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Refund order ord_1' }));
    const submit = dialog.getByRole('button', { name: 'Refund' });
    await userEvent.type(dialog.getByLabelText('Amount (USD)'), '12.345');
    expect(submit).toBeDisabled();
    await userEvent.clear(dialog.getByLabelText('Amount (USD)'));
    await userEvent.type(dialog.getByLabelText('Amount (USD)'), '12.50');
    await userEvent.click(submit);
    expect(spies.executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: { orderId: 'ord_1', reason: null, amount: { amount: 1250, currency: 'USD' } },
    });
  });
});

describe('describeEntry', () => {
  it('tells a released hold from released stock, and names money updates', () => {
    const hold = entry(5, { kind: 'COMPENSATION', detail: 'Payment hold released: USD 45.00' });
    const stock = entry(6, { kind: 'COMPENSATION', detail: 'Reserved stock released' });
    expect(describeEntry(hold, []).explanation).toMatch(/held on your card was released/);
    expect(describeEntry(stock, []).explanation).toMatch(/back into stock/);
    expect(describeEntry(entry(7, { kind: 'INFO', detail: 'Payment captured: USD 45.00 as shipment shp_1 left' }), []).title).toBe('Payment');
    expect(describeEntry(entry(8, { kind: 'INFO', detail: 'Refunded USD 5.00: late' }), []).title).toBe('Refund');
    expect(describeEntry(entry(9, { kind: 'INFO', detail: 'Return ret_1 approved: label with UPS' }), []).title).toBe('Return');
  });
});
