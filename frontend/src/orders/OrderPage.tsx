import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { useViewer } from '../auth/viewer';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import type {
  OrderFieldsFragment,
  OrderUpdatedSubscription as OrderUpdatedSubscriptionData,
  OrderUpdatedSubscriptionVariables,
} from '../gql/graphql';
import { OperatorPanel } from '../operator/OperatorPanel';
import { ReturnActions } from '../operator/ReturnActions';
import { Parcels } from '../locations/Parcels';
import { PaymentLedger } from '../payments/PaymentLedger';
import { Returns } from '../payments/Returns';
import { applyOrderEvent, hasGap, mergeOrder } from './merge';
import { OrderActions } from './OrderActions';
import { OrderQuery, OrderUpdatedSubscription } from './operations';
import { STATUS_INFO } from './status';
import { Timeline } from './Timeline';

/**
 * The order as queried, kept current by its orderUpdated events (each brings
 * the order's fields and one new entry). When the entries shown have a gap
 * (an event came before the query's answer caught up, or the socket
 * reconnected), the order is read again, which fills it.
 */
function useLiveOrder(id: string) {
  const [query, reread] = useQuery({ query: OrderQuery, variables: { id } });
  const [live] = useSubscription<OrderUpdatedSubscriptionData, OrderFieldsFragment, OrderUpdatedSubscriptionVariables>(
    { query: OrderUpdatedSubscription, variables: { id } },
    (prev, event) => applyOrderEvent(prev, event.orderUpdated),
  );
  const queried = query.data?.order ?? undefined;
  const order = queried && live.data ? mergeOrder(queried, live.data) : (live.data ?? queried);
  const gap = !query.fetching && order !== undefined && hasGap(order);
  useEffect(() => {
    if (gap) reread({ requestPolicy: 'network-only' });
  }, [gap, reread]);
  return { order, fetching: query.fetching && !order, error: query.error, liveError: live.error, found: query.data?.order !== null };
}

function OrderDetails({ order }: { order: OrderFieldsFragment }) {
  const a = order.shippingAddress;
  return (
    <section className="card" aria-labelledby="items-heading">
      <h2 id="items-heading">Items</h2>
      <ul className="plain lines">
        {order.lines.map((l) => (
          <li key={l.productId}>
            <span>
              {l.quantity} × {l.name}
            </span>
            <span>{l.lineTotal.formatted}</span>
          </li>
        ))}
      </ul>
      <dl className="totals">
        <div>
          <dt>Subtotal</dt>
          <dd>{order.subtotal.formatted}</dd>
        </div>
        <div>
          <dt>Shipping</dt>
          <dd>{order.shippingCost.formatted}</dd>
        </div>
        <div className="totals__sum">
          <dt>Total</dt>
          <dd>{order.total.formatted}</dd>
        </div>
      </dl>
      {order.payment && !order.ledger && (
        <p>
          Payment: {order.payment.amount.formatted}, {order.payment.status === 'REFUNDED' ? 'refunded' : 'charged'}
        </p>
      )}
      <h3>Shipping to</h3>
      <address>
        {a.name}
        <br />
        {a.line1}
        {a.line2 && (
          <>
            <br />
            {a.line2}
          </>
        )}
        <br />
        {a.postalCode} {a.city}, {a.country}
      </address>
    </section>
  );
}

/** One order, live: its timeline grows as the workflow works, without a reload. */
export function OrderPage() {
  const { id = '' } = useParams();
  const { viewer } = useViewer();
  const { order, fetching, error, liveError, found } = useLiveOrder(id);

  if (error) return <ErrorMessage error={error} />;
  if (!order) {
    if (fetching) return <Loading label="Loading the order…" />;
    if (!found) {
      return (
        <EmptyState title="Order not found">
          <Link to="/orders">Your orders</Link>
        </EmptyState>
      );
    }
    return null;
  }
  const info = STATUS_INFO[order.status];
  return (
    <div className="order">
      <header className="order__header">
        <PageHeading title={`Order ${order.id}`}>Order {order.id}</PageHeading>
        <p className="order__status" role="status" aria-label="Order status">
          <StatusBadge status={order.status} /> <span>{info.meaning}</span>
        </p>
        {order.failureReason && <p className="alert alert--error">Reason: {order.failureReason}</p>}
        <p className="muted">
          Placed <Time value={order.createdAt} /> · {order.total.formatted}
        </p>
      </header>
      <ErrorMessage error={liveError} />
      <div className="order__body">
        <section className="order__timeline" aria-labelledby="timeline-heading">
          <h2 id="timeline-heading">What happened</h2>
          <Timeline entries={order.timeline} />
        </section>
        <div className="order__side">
          <OrderActions order={order} />
          <OrderDetails order={order} />
          <Parcels shipments={order.shipments} />
          {order.ledger && <PaymentLedger ledger={order.ledger} method={order.paymentMethod} />}
          <Returns
            order={order}
            actions={viewer?.role === 'ADMIN' ? (r) => <ReturnActions orderId={order.id} returnId={r.id} status={r.status} /> : undefined}
          />
          {viewer?.role === 'ADMIN' && <OperatorPanel order={order} />}
        </div>
      </div>
    </div>
  );
}
