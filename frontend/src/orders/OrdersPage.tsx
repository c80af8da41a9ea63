import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import type { OrderSummaryFieldsFragment } from '../gql/graphql';
import { mergeOrderLists, upsertOrder } from './merge';
import { MyOrdersUpdatedSubscription, OrdersQuery } from './operations';
import { OrderList } from './OrderList';

const STEP = 20;
const MAX = 100;

/** The customer's orders, newest first, kept current by myOrdersUpdated. */
export function OrdersPage() {
  const [first, setFirst] = useState(STEP);
  const [{ data, fetching, error }] = useQuery({ query: OrdersQuery, variables: { first } });
  const [live] = useSubscription(
    { query: MyOrdersUpdatedSubscription },
    (prev: OrderSummaryFieldsFragment[] = [], event) => upsertOrder(prev, event.myOrdersUpdated),
  );
  const base = data?.orders.edges.map((e) => e.node) ?? [];
  const orders = mergeOrderLists(base, live.data ?? []);

  return (
    <>
      <PageHeading title="Orders">Your orders</PageHeading>
      <ErrorMessage error={error ?? live.error} />
      {!data && fetching && <Loading label="Loading your orders…" />}
      {data && orders.length === 0 && (
        <EmptyState title="No orders yet">
          <Link to="/">Find something you like</Link>
        </EmptyState>
      )}
      {orders.length > 0 && <OrderList orders={orders} label="Your orders" />}
      {data?.orders.pageInfo.hasNextPage && first < MAX && (
        <button type="button" className="button" disabled={fetching} onClick={() => setFirst((n) => Math.min(n + STEP, MAX))}>
          Load more
        </button>
      )}
    </>
  );
}
