import type { OrderStatus } from '../gql/graphql';
import { STATUS_INFO } from '../orders/status';

export function StatusBadge({ status }: { status: OrderStatus }) {
  const info = STATUS_INFO[status];
  return <span className={`badge badge--${info.tone}`}>{info.label}</span>;
}
