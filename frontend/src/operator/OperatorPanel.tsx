import { useEffect, useRef } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage, Loading } from '../components/Feedback';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import type { OrderFieldsFragment } from '../gql/graphql';
import { ApprovalActions } from './ApprovalActions';
import { OrderOperatorQuery } from './operations';
import { RefundDialog } from './RefundDialog';
import { SimulateFailureForm, STEP_LABELS } from './SimulateFailureForm';

/**
 * What an operator sees on an order page: the live workflow state (queried
 * from Temporal, refreshed on each change), the link to the workflow in the
 * Temporal Web UI, approval, refunds and failure injection.
 */
export function OperatorPanel({ order: shown }: { order: OrderFieldsFragment }) {
  const { id: orderId, status, version } = shown;
  const [{ data, fetching, error }, refresh] = useQuery({ query: OrderOperatorQuery, variables: { id: orderId } });

  const seenVersion = useRef(version);
  useEffect(() => {
    if (seenVersion.current === version) return;
    seenVersion.current = version;
    refresh({ requestPolicy: 'network-only' });
  }, [version, refresh]);

  const order = data?.order;
  const state = order?.workflowState;
  return (
    <section className="card operator" aria-labelledby="operator-heading">
      <h2 id="operator-heading">Operator</h2>
      <ErrorMessage error={error} />
      {!data && fetching && <Loading label="Loading the workflow state…" />}
      {order && (
        <>
          <p>
            Customer: {order.customer.name}{' '}
            <span className="muted">
              ({order.customer.email}, <code>{order.customer.id}</code>)
            </span>
          </p>
          {order.temporalUrl && (
            <p>
              <a href={order.temporalUrl} target="_blank" rel="noreferrer">
                Open the workflow in the Temporal UI
              </a>
            </p>
          )}
          {state ? (
            <dl className="facts">
              <dt>Workflow status</dt>
              <dd>
                <StatusBadge status={state.status} />
              </dd>
              <dt>Pending failures</dt>
              <dd>
                {state.pendingFailures.length === 0
                  ? 'none'
                  : state.pendingFailures.map((f) => `${STEP_LABELS[f.step]} (${f.mode.toLowerCase()})`).join(', ')}
              </dd>
              {state.approvalDeadline && (
                <>
                  <dt>Approval deadline</dt>
                  <dd>
                    <Time value={state.approvalDeadline} />
                  </dd>
                </>
              )}
            </dl>
          ) : (
            <p className="muted">The workflow has ended.</p>
          )}
        </>
      )}
      {status === 'AWAITING_APPROVAL' && <ApprovalActions orderId={orderId} />}
      {order?.canRefund && <RefundDialog order={shown} />}
      {state && (
        <details className="operator__simulate">
          <summary>Inject a failure</summary>
          <SimulateFailureForm orderId={orderId} />
        </details>
      )}
    </section>
  );
}
