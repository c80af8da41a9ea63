import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import type { OrderSummaryFieldsFragment } from '../gql/graphql';

/**
 * Orders as rows: link, status, total, date; `showCustomer` for operators,
 * `actions` to add controls (approve, Temporal link) to each row.
 */
export function OrderList({
  orders,
  label,
  showCustomer = false,
  actions,
}: {
  orders: readonly OrderSummaryFieldsFragment[];
  label: string;
  showCustomer?: boolean;
  actions?: (order: OrderSummaryFieldsFragment) => ReactNode;
}) {
  return (
    <ul className="order-list" aria-label={label}>
      {orders.map((o) => (
        <li key={o.id} className="order-row">
          <Link className="order-row__id" to={`/orders/${encodeURIComponent(o.id)}`}>
            Order {o.id}
          </Link>
          <StatusBadge status={o.status} />
          <span className="order-row__total">{o.total.formatted}</span>
          <span className="muted order-row__meta">
            {o.itemCount} {o.itemCount === 1 ? 'item' : 'items'} · <Time value={o.createdAt} />
            {showCustomer && <> · {o.customer.name}</>}
          </span>
          {actions && <div className="order-row__actions">{actions(o)}</div>}
        </li>
      ))}
    </ul>
  );
}
