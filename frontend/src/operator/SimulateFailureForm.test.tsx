import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { describe, expect, it } from 'vitest';
import { data, mockClient } from '../test/fixtures';
import { SimulateFailureForm } from './SimulateFailureForm';

describe('SimulateFailureForm', () => {
  it('aims a shipping failure at one parcel', async () => {
    const { client, spies } = mockClient({ SimulateFailure: data({ simulateFailure: { order: { id: 'ord_1', workflowState: null }, errors: [] } }) });
    render(
      <Provider value={client}>
        <SimulateFailureForm orderId="ord_1" />
      </Provider>,
    );
    expect(screen.queryByLabelText('Parcel (optional)')).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Step'), 'SHIPPING');
    await userEvent.type(screen.getByLabelText('Parcel (optional)'), 'shp_ord_1_2');
    await userEvent.click(screen.getByLabelText(/^Permanent/));
    await userEvent.click(screen.getByRole('button', { name: /inject/i }));
    const call = spies.executeMutation.mock.calls.at(-1)?.[0] as { variables: unknown } | undefined;
    expect(call?.variables).toEqual({ input: { orderId: 'ord_1', step: 'SHIPPING', mode: 'PERMANENT', shipmentId: 'shp_ord_1_2' } });
  });
});
