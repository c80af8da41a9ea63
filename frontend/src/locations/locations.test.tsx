import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { describe, expect, it } from 'vitest';
import type { ParcelFieldsFragment } from '../gql/graphql';
import { data, mockClient } from '../test/fixtures';
import { Availability } from './Availability';
import { Parcels } from './Parcels';
import { StockPanel } from './StockPanel';

const east = { id: 'loc_us-east', name: 'US East', country: 'US' };
const eu = { id: 'loc_eu', name: 'EU', country: 'NL' };

function parcel(n: number, over: Partial<ParcelFieldsFragment>): ParcelFieldsFragment {
  return {
    id: `shp_ord_1_${n}`,
    carrier: 'UPS',
    trackingNumber: `1Z${n}`,
    status: 'PENDING',
    updatedAt: '2026-01-01T12:00:00Z',
    location: east,
    lines: [{ productId: 'prd_1', name: 'Mug', quantity: 2 }],
    ...over,
  };
}

describe('Parcels', () => {
  it('shows each parcel on its own: where from, what, and where it stands', () => {
    render(
      <Parcels
        shipments={[
          parcel(1, { status: 'DELIVERED' }),
          parcel(2, { location: eu, status: 'FAILED', trackingNumber: '', lines: [{ productId: 'prd_2', name: 'Chair', quantity: 1 }] }),
        ]}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Parcels (2)' })).toBeInTheDocument();
    const first = within(screen.getByRole('listitem', { name: 'Parcel 1 of 2 from US East' }));
    expect(first.getByLabelText('Parcel status: Delivered')).toBeInTheDocument();
    expect(first.getByText('2 × Mug')).toBeInTheDocument();
    expect(first.getByText('UPS · tracking 1Z1')).toBeInTheDocument();
    const second = within(screen.getByRole('listitem', { name: 'Parcel 2 of 2 from EU' }));
    expect(second.getByLabelText('Parcel status: Could not be sent')).toBeInTheDocument();
    expect(second.getByText('1 × Chair')).toBeInTheDocument();
    expect(second.queryByText(/tracking/)).toBeNull();
  });

  it('shows nothing before shipping, and an order from before locations without a place', () => {
    const { container, rerender } = render(<Parcels shipments={[]} />);
    expect(container).toBeEmptyDOMElement();
    rerender(<Parcels shipments={[parcel(1, { location: null })]} />);
    expect(screen.getByRole('heading', { name: 'Parcel' })).toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'Parcel 1 of 1' })).toBeInTheDocument();
  });
});

describe('Availability', () => {
  it('words the units at each location', () => {
    render(
      <Availability
        product={{
          availability: [
            { location: east, available: 12, low: false },
            { location: eu, available: 2, low: true },
            { location: { id: 'loc_us-west', name: 'US West', country: 'US' }, available: 0, low: true },
          ],
        }}
      />,
    );
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual(['US East 12 in stock', 'EU only 2 left', 'US West none']);
  });
});

describe('StockPanel', () => {
  const stock = {
    locations: [eu, east],
    products: {
      edges: [
        {
          node: {
            id: 'prd_1',
            name: 'Mug',
            sku: 'MUG',
            stock: 14,
            availability: [
              { location: eu, available: 2, low: true },
              { location: east, available: 12, low: false },
            ],
          },
        },
      ],
    },
    lowStock: [{ available: 2, product: { id: 'prd_1', name: 'Mug' }, location: { id: eu.id, name: eu.name } }],
  };

  it('lists stock by location and what runs low, and restocks a location', async () => {
    const { client, spies } = mockClient({
      Stock: data(stock),
      Restock: data({ restock: { product: { id: 'prd_1', stock: 19, availability: [] }, errors: [] } }),
    });
    render(
      <Provider value={client}>
        <StockPanel />
      </Provider>,
    );
    expect(within(screen.getByRole('list', { name: 'Low stock' })).getByText('Mug at EU: 2 left')).toBeInTheDocument();
    const row = within(screen.getByRole('row', { name: /Mug/ }));
    expect(row.getAllByRole('cell').map((c) => c.textContent)).toEqual(['2', '12', '14']);

    const form = within(screen.getByRole('form', { name: 'Restock' }));
    await userEvent.selectOptions(form.getByLabelText('Location'), 'loc_us-east');
    await userEvent.clear(form.getByLabelText('Units'));
    await userEvent.type(form.getByLabelText('Units'), '5');
    await userEvent.click(form.getByRole('button', { name: 'Restock' }));
    const call = spies.executeMutation.mock.calls.at(-1)?.[0] as { variables: unknown } | undefined;
    expect(call?.variables).toEqual({ input: { productId: 'prd_1', locationId: 'loc_us-east', quantity: 5 } });
    expect(await screen.findByRole('status')).toHaveTextContent('Restocked: 19 in stock in all');
  });

  it('shows the refusal of a restock', async () => {
    const refusal = { code: 'INVALID', message: 'quantity must be between 1 and 10000', field: 'input.quantity' };
    const { client } = mockClient({ Stock: data(stock), Restock: data({ restock: { product: null, errors: [refusal] } }) });
    render(
      <Provider value={client}>
        <StockPanel />
      </Provider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Restock' }));
    expect(await screen.findByText(/quantity must be between 1 and 10000/)).toBeInTheDocument();
  });
});
