import { useQuery, useSubscription } from 'urql';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import type { OrderStatus, OrdersUpdatedSubscription as OrdersUpdatedResult } from '../gql/graphql';
import { StockPanel } from '../locations/StockPanel';
import { mergeOrderLists, upsertOrder } from '../orders/merge';
import { OrderList } from '../orders/OrderList';
import { ApprovalActions } from './ApprovalActions';
import { ConsoleNav } from './ConsoleNav';
import { OperatorOrdersQuery, OrdersUpdatedSubscription } from './operations';
import { OrdersTable } from './orders/OrdersTable';
import { ReturnsQueue } from './ReturnsQueue';
import { RewardsTool } from './RewardsTool';
import { SettingsPanel } from './SettingsForms';
import { SimulateFailureForm } from './SimulateFailureForm';
import { TemporalLink } from './TemporalLink';

type LiveOrder = OrdersUpdatedResult['ordersUpdated'];

const PAGE = 50;

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

/** The operator console: approvals, failure injection, every order in a table, settings. */
export function ConsolePage() {
  const [live] = useSubscription(
    { query: OrdersUpdatedSubscription },
    (prev: LiveOrder[] = [], event) => upsertOrder(prev, event.ordersUpdated),
  );
  const orders = live.data ?? [];
  return (
    <>
      <PageHeading title="Operator console">Operator console</PageHeading>
      <ConsoleNav />
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
        <OrdersTable live={orders} />
        <SettingsPanel />
        <RewardsTool />
        <StockPanel />
      </div>
    </>
  );
}
