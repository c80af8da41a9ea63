import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation } from 'urql';
import { ErrorMessage } from '../components/Feedback';
import { Time } from '../components/Time';
import type { OrderFieldsFragment } from '../gql/graphql';
import { CancelReturnMutation, RequestReturnMutation } from '../orders/operations';
import { RETURN_STATUS } from './paymentStatus';

type Order = OrderFieldsFragment;
type Return = Order['returns'][number];

function ReturnItem({ orderId, ret, actions }: { orderId: string; ret: Return; actions?: ReactNode }) {
  const status = RETURN_STATUS[ret.status];
  const [cancelling, cancel] = useMutation(CancelReturnMutation);
  return (
    <li className="return" aria-label={`Return ${ret.id}`}>
      <div className="section-head">
        <strong>{ret.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')}</strong>
        <span className={`badge badge--${status.tone}`}>{status.label}</span>
      </div>
      <p className="muted">
        {status.meaning} Asked <Time value={ret.requestedAt} />
        {ret.reason && <> — “{ret.reason}”</>}
      </p>
      {ret.trackingNumber && (
        <p>
          Return label: {ret.carrier} <code>{ret.trackingNumber}</code>
        </p>
      )}
      {ret.note && <p>Reason: {ret.note}</p>}
      {ret.refund && <p>Refunded {ret.refund.formatted}.</p>}
      <div className="actions">
        {ret.canCancel && (
          <button
            type="button"
            className="button button--quiet"
            disabled={cancelling.fetching}
            onClick={() => cancel({ input: { orderId, returnId: ret.id } })}
          >
            Cancel return
          </button>
        )}
        {actions}
      </div>
      <ErrorMessage error={cancelling.error} errors={cancelling.data?.cancelReturn.errors} />
    </li>
  );
}

/** The order's returns; actions lets the operator console add its own per return. */
export function ReturnList({ order, actions }: { order: Order; actions?: (r: Return) => ReactNode }) {
  if (order.returns.length === 0) return null;
  return (
    <ul className="plain returns" aria-label="Returns">
      {order.returns.map((r) => (
        <ReturnItem key={r.id} orderId={order.id} ret={r} actions={actions?.(r)} />
      ))}
    </ul>
  );
}

/** The "Return items" flow: choose units of the delivered lines and say why. */
function ReturnForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const [units, setUnits] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const [{ data, error, fetching }, request] = useMutation(RequestReturnMutation);
  const reasonId = useId();
  const chosen = order.returnableLines.filter((l) => (units[l.productId] ?? 0) > 0);
  const name = (productId: string) => order.lines.find((l) => l.productId === productId)?.name ?? productId;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await request({
      input: {
        orderId: order.id,
        lines: chosen.map((l) => ({ productId: l.productId, quantity: units[l.productId] ?? 0 })),
        reason: reason.trim() || null,
      },
    });
    if (result.data?.requestReturn.return) onDone();
  };
  return (
    <form aria-label="Return items" onSubmit={submit} className="stack">
      {order.returnableLines.map((l) => {
        const id = `return-${l.productId}`;
        return (
          <div className="field field--inline" key={l.productId}>
            <label htmlFor={id}>
              {name(l.productId)} <span className="muted">(up to {l.quantity})</span>
            </label>
            <input
              id={id}
              type="number"
              min={0}
              max={l.quantity}
              value={units[l.productId] ?? 0}
              onChange={(e) => setUnits({ ...units, [l.productId]: Math.max(0, Math.min(l.quantity, Number(e.target.value) || 0)) })}
            />
          </div>
        );
      })}
      <div className="field">
        <label htmlFor={reasonId}>Why are you returning them? (optional)</label>
        <input id={reasonId} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <ErrorMessage error={error} errors={data?.requestReturn.errors} />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={fetching || chosen.length === 0}>
          Request return
        </button>
        <button type="button" className="button button--quiet" onClick={onDone}>
          Keep them
        </button>
      </div>
    </form>
  );
}

/**
 * Returns on the order page: the returns asked for, and a way to ask for one
 * while the window is open; operators add their decisions per return.
 */
export function Returns({ order, actions }: { order: Order; actions?: (r: Return) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const canReturn = order.returnableLines.length > 0;
  if (!canReturn && order.returns.length === 0) return null;
  return (
    <section className="card" aria-labelledby="returns-heading">
      <h2 id="returns-heading">Returns</h2>
      {order.returnsUntil && canReturn && (
        <p className="muted">
          You can return delivered items until <Time value={order.returnsUntil} />.
        </p>
      )}
      <ReturnList order={order} actions={actions} />
      {canReturn &&
        (open ? (
          <ReturnForm order={order} onDone={() => setOpen(false)} />
        ) : (
          <button type="button" className="button" onClick={() => setOpen(true)}>
            Return items…
          </button>
        ))}
    </section>
  );
}
