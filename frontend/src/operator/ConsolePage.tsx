import { useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import type { OrderStatus, OrdersUpdatedSubscription as OrdersUpdatedResult } from '../gql/graphql';
import { mergeOrderLists, upsertOrder } from '../orders/merge';
import { OrderList } from '../orders/OrderList';
import { STATUS_INFO } from '../orders/status';
import { ApprovalActions } from './ApprovalActions';
import { OperatorOrdersQuery, OrdersUpdatedSubscription } from './operations';
import { StockPanel } from '../locations/StockPanel';
import { ReturnsQueue } from './ReturnsQueue';
import { RewardsTool } from './RewardsTool';
import { SettingsPanel } from './SettingsForms';
import { SimulateFailureForm } from './SimulateFailureForm';

type LiveOrder = OrdersUpdatedResult['ordersUpdated'];

const PAGE = 50;

function TemporalLink({ order }: { order: { id: string; temporalUrl?: string | null } }) {
  if (!order.temporalUrl) return null;
  return (
    <a href={order.temporalUrl} target="_blank" rel="noreferrer" aria-label={`Workflow of order ${order.id} in the Temporal UI`}>
      Temporal UI
    </a>
  );
}

/** A queried list of orders, kept current by the console's ordersUpdated feed. */
function LiveOrders({
  live,
  statuses,
  label,
  empty,
  approve = false,
}: {
  live: readonly LiveOrder[];
  statuses: OrderStatus[] | null;
  label: string;
  empty: string;
  approve?: boolean;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: OperatorOrdersQuery,
    variables: { first: PAGE, filter: statuses ? { statuses } : null },
  });
  const keep = (o: LiveOrder) => !statuses || statuses.includes(o.status);
  const orders = mergeOrderLists(data?.orders.edges.map((e) => e.node) ?? [], live, keep);
  if (error) return <ErrorMessage error={error} />;
  if (!data && fetching) return <Loading />;
  if (orders.length === 0) return <EmptyState title={empty} />;
  return (
    <OrderList
      orders={orders}
      label={label}
      showCustomer
      actions={(o) => (
        <>
          <TemporalLink order={o} />
          {approve && <ApprovalActions orderId={o.id} />}
        </>
      )}
    />
  );
}

function AllOrders({ live }: { live: readonly LiveOrder[] }) {
  const [status, setStatus] = useState<OrderStatus | ''>('');
  return (
    <section className="card" aria-labelledby="all-heading">
      <div className="section-head">
        <h2 id="all-heading">All orders</h2>
        <div className="field field--inline">
          <label htmlFor="status-filter">Status</label>
          <select id="status-filter" value={status} onChange={(e) => setStatus(e.target.value as OrderStatus | '')}>
            <option value="">All statuses</option>
            {(Object.keys(STATUS_INFO) as OrderStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_INFO[s].label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <LiveOrders live={live} statuses={status ? [status] : null} label="All orders" empty="No orders" />
    </section>
  );
}

/** The operator console: approvals, failure injection, settings, every order live. */
export function ConsolePage() {
  const [live] = useSubscription(
    { query: OrdersUpdatedSubscription },
    (prev: LiveOrder[] = [], event) => upsertOrder(prev, event.ordersUpdated),
  );
  const orders = live.data ?? [];
  return (
    <>
      <PageHeading title="Operator console">Operator console</PageHeading>
      <ErrorMessage error={live.error} />
      <div className="console">
        <section className="card console__approvals" aria-labelledby="approvals-heading">
          <h2 id="approvals-heading">Waiting for approval</h2>
          <LiveOrders live={orders} statuses={['AWAITING_APPROVAL']} label="Approval queue" empty="Nothing to approve" approve />
        </section>
        <section className="card" aria-labelledby="returns-heading">
          <h2 id="returns-heading">Returns to review</h2>
          <ReturnsQueue changes={orders.reduce((n, o) => n + o.version, 0)} />
        </section>
        <section className="card" aria-labelledby="simulate-heading">
          <h2 id="simulate-heading">Simulation panel</h2>
          <p className="muted">Make a step of a running order fail, and watch the order retry or compensate.</p>
          <SimulateFailureForm />
        </section>
        <AllOrders live={orders} />
        <SettingsPanel />
        <RewardsTool />
        <StockPanel />
      </div>
    </>
  );
}
