import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { OrdersTableQuery } from '../../gql/graphql';
import { fromValue } from 'wonka';
import { mockClient } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { OrdersTable } from './OrdersTable';

type Node = OrdersTableQuery['orders']['edges'][number]['node'];

function node(id: string, over: Partial<Node> = {}): Node {
  return {
    id,
    status: 'PAID',
    version: 4,
    createdAt: '2026-01-01T12:00:00.000Z',
    itemCount: 1,
    total: { formatted: '$10.00' },
    customer: { id: 'cus_1', name: 'Ada', email: 'ada@example.com' },
    temporalUrl: `http://temporal.test/workflows/order_${id}`,
    ...over,
  };
}

/** Answers each page request with the page its cursor names (the cursor is the ID of the last order seen), of `count` orders. */
function pagedClient(count = 5) {
  const all = Array.from({ length: count }, (_, i) => node(`ord_${i + 1}`));
  return mockClient({
    OrdersTable: (_name, vars) => {
      const v = vars as { first: number; after: string | null };
      const start = v.after ? all.findIndex((o) => o.id === v.after) + 1 : 0;
      const edges = all.slice(start, start + v.first).map((n) => ({ node: n }));
      return fromValue({
        data: { orders: { totalCount: all.length, edges, pageInfo: { hasNextPage: start + v.first < all.length, endCursor: edges.at(-1)?.node.id ?? null } } },
        stale: false,
        hasNext: false,
      });
    },
  });
}

const ids = () =>
  within(screen.getByRole('table'))
    .getAllByRole('link', { name: /^ord_/ })
    .map((a) => a.textContent);
const lastVariables = (spies: ReturnType<typeof mockClient>['spies']) => spies.executeQuery.mock.calls.at(-1)?.[0].variables;

describe('OrdersTable', () => {
  it('searches by ID or e-mail, filters, sorts, and pages through the connection', async () => {
    const user = userEvent.setup();
    const { client, spies } = pagedClient();
    renderPage(<OrdersTable />, { client, route: '/?size=10' });
    expect(await screen.findByText('Orders 1–5 of 5')).toBeInTheDocument();
    expect(lastVariables(spies)).toEqual({ first: 10, after: null, filter: {}, orderBy: { field: 'CREATED_AT', direction: 'DESC' } });

    await user.type(screen.getByLabelText('Order ID or customer e-mail'), ' Ada@Example.com ');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(lastVariables(spies)).toMatchObject({ filter: { customerEmail: 'Ada@Example.com' } });

    await user.clear(screen.getByLabelText('Order ID or customer e-mail'));
    await user.type(screen.getByLabelText('Order ID or customer e-mail'), 'ord_3');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(lastVariables(spies)).toMatchObject({ filter: { orderId: 'ord_3' } });
    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(lastVariables(spies)).toMatchObject({ filter: {} });

    await user.selectOptions(screen.getByLabelText('Status'), 'FAILED');
    expect(lastVariables(spies)).toMatchObject({ filter: { statuses: ['FAILED'] } });
    await user.selectOptions(screen.getByLabelText('Status'), '');
    await user.selectOptions(screen.getByLabelText('Sort'), 'total-asc');
    expect(lastVariables(spies)).toMatchObject({ filter: {}, orderBy: { field: 'TOTAL', direction: 'ASC' } });
    expect(screen.getByRole('columnheader', { name: 'Total' })).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByRole('columnheader', { name: 'Placed' })).not.toHaveAttribute('aria-sort');

    await user.selectOptions(screen.getByLabelText('Rows'), '10');
    expect(ids()).toEqual(['ord_1', 'ord_2', 'ord_3', 'ord_4', 'ord_5']);
  });

  it('pages forward with the cursor and back again, and starts over when the filter changes', async () => {
    const user = userEvent.setup();
    const { client, spies } = pagedClient(12);
    renderPage(<OrdersTable />, { client, route: '/?size=10' });
    expect(await screen.findByText('Orders 1–10 of 12')).toBeInTheDocument();
    const pages = screen.getByRole('navigation', { name: 'Pages of orders' });
    expect(within(pages).getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await user.click(within(pages).getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('Orders 11–12 of 12')).toBeInTheDocument();
    expect(lastVariables(spies)).toMatchObject({ first: 10, after: 'ord_10' });
    expect(ids()).toEqual(['ord_11', 'ord_12']);
    expect(within(pages).getByRole('button', { name: 'Next page' })).toBeDisabled();

    await user.click(within(pages).getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByText('Orders 1–10 of 12')).toBeInTheDocument();
    expect(ids()).toHaveLength(10);

    await user.click(within(pages).getByRole('button', { name: 'Next page' }));
    await screen.findByText('Orders 11–12 of 12');
    await user.selectOptions(screen.getByLabelText('Sort'), 'status-asc');
    expect(lastVariables(spies)).toMatchObject({ after: null, orderBy: { field: 'STATUS', direction: 'ASC' } });
    expect(await screen.findByText('Orders 1–10 of 12')).toBeInTheDocument();
  });

  it('shows the live status of the orders on the page', async () => {
    const user = userEvent.setup();
    const { client } = pagedClient(2);
    const live = [node('ord_2', { version: 9, status: 'COMPLETED' }), node('ord_9', { version: 1 })];
    function Console() {
      const [feed, setFeed] = useState<Node[]>([]);
      return (
        <>
          <button type="button" onClick={() => setFeed(live)}>
            Deliver the feed
          </button>
          <OrdersTable live={feed} />
        </>
      );
    }
    renderPage(<Console />, { client });
    await screen.findByText('Orders 1–2 of 2');
    const row = () => screen.getByRole('link', { name: 'ord_2' }).closest('tr')!;
    expect(row()).toHaveTextContent('Paid');
    await user.click(screen.getByRole('button', { name: 'Deliver the feed' }));
    expect(row()).toHaveTextContent('Completed');
    expect(screen.queryByRole('link', { name: 'ord_9' })).toBeNull();
  });
});
