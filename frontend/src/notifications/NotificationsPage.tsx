import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { MyOrdersUpdatedSubscription } from '../orders/operations';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { Time } from '../components/Time';
import { MarkNotificationsReadMutation, NotificationsQuery } from './operations';

const STEP = 20;
const MAX = 100;

export function NotificationsPage() {
  const [first, setFirst] = useState(STEP);
  const [{ data, fetching, error }, refetch] = useQuery({ query: NotificationsQuery, variables: { first } });
  const [marking, markRead] = useMutation(MarkNotificationsReadMutation);

  // Notifications are written at order milestones: re-read them when one of
  // the customer's orders changes.
  const [{ data: changes }] = useSubscription({ query: MyOrdersUpdatedSubscription }, (count: number = 0) => count + 1);
  useEffect(() => {
    if (changes) refetch({ requestPolicy: 'network-only' });
  }, [changes, refetch]);
  const items = data?.notifications.edges.map((e) => e.node) ?? [];
  const unread = items.filter((n) => !n.read).map((n) => n.id);

  const mark = async (ids: string[]) => {
    await markRead({ input: { ids } });
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <>
      <PageHeading title="Notifications">Notifications</PageHeading>
      <ErrorMessage error={error ?? marking.error} errors={marking.data?.markNotificationsRead.errors} />
      {!data && fetching && <Loading label="Loading notifications…" />}
      {data && items.length === 0 && <EmptyState title="Nothing yet">Order updates and tier changes show up here.</EmptyState>}
      {items.length > 0 && (
        <>
          <div className="actions">
            <button type="button" className="button" disabled={unread.length === 0 || marking.fetching} onClick={() => mark(unread)}>
              Mark all as read
            </button>
            <button type="button" className="button button--quiet" disabled={fetching} onClick={() => refetch({ requestPolicy: 'network-only' })}>
              Refresh
            </button>
          </div>
          <ul className="notifications" aria-label="Notifications">
            {items.map((n) => (
              <li key={n.id} className={`card notification${n.read ? '' : ' notification--unread'}`}>
                <div className="notification__head">
                  <strong>
                    {!n.read && <span className="visually-hidden">Unread: </span>}
                    {n.title}
                  </strong>
                  <Time value={n.createdAt} />
                </div>
                <p>{n.body}</p>
                <div className="actions">
                  {n.order && <Link to={`/orders/${encodeURIComponent(n.order.id)}`}>View order</Link>}
                  {!n.read && (
                    <button type="button" className="button button--quiet" disabled={marking.fetching} onClick={() => mark([n.id])} aria-label={`Mark as read: ${n.title}`}>
                      Mark as read
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {data?.notifications.pageInfo.hasNextPage && first < MAX && (
        <button type="button" className="button" onClick={() => setFirst((n) => Math.min(n + STEP, MAX))}>
          Load more
        </button>
      )}
    </>
  );
}
