import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { Time } from '../components/Time';
import { ReturnsQueueQuery } from './operations';
import { ReturnActions } from './ReturnActions';

/**
 * The operators' returns queue: every return waiting for a decision, with
 * approve and reject at hand. It refreshes whenever an order changes (the
 * console's live feed), since a return is a change of its order.
 */
export function ReturnsQueue({ changes }: { changes: number }) {
  const [{ data, fetching, error }, refresh] = useQuery({ query: ReturnsQueueQuery, variables: { first: 50 } });
  const seen = useRef(changes);
  useEffect(() => {
    if (seen.current === changes) return;
    seen.current = changes;
    refresh({ requestPolicy: 'network-only' });
  }, [changes, refresh]);

  if (error) return <ErrorMessage error={error} />;
  if (!data && fetching) return <Loading />;
  const waiting = (data?.orders.edges ?? []).flatMap((e) =>
    e.node.returns.filter((r) => r.status === 'REQUESTED').map((r) => ({ order: e.node, ret: r })),
  );
  if (waiting.length === 0) return <EmptyState title="No returns to review" />;
  return (
    <ul className="order-list" aria-label="Returns queue">
      {waiting.map(({ order, ret }) => (
        <li key={ret.id} className="order-row">
          <Link className="order-row__id" to={`/orders/${encodeURIComponent(order.id)}`}>
            Return {ret.id}
          </Link>
          <span>{ret.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')}</span>
          <span className="muted order-row__meta">
            {order.customer.name} · <Time value={ret.requestedAt} />
            {ret.reason && <> · “{ret.reason}”</>}
          </span>
          <div className="order-row__actions">
            <ReturnActions orderId={order.id} returnId={ret.id} status={ret.status} />
          </div>
        </li>
      ))}
    </ul>
  );
}
