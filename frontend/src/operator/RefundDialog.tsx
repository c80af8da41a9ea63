import { useId, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { ErrorMessage } from '../components/Feedback';
import type { OrderFieldsFragment } from '../gql/graphql';
import { parseAmount } from '../payments/paymentStatus';
import { RefundOrderMutation } from './operations';

type Order = OrderFieldsFragment;

/**
 * The operator's refund dialog: an amount or chosen lines, with a reason.
 * The order's workflow checks it against the ledger (never more than was
 * captured) and the dialog shows its typed answer.
 */
export function RefundDialog({ order }: { order: Order }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<'amount' | 'lines'>('amount');
  const [amount, setAmount] = useState('');
  const [units, setUnits] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [{ data, error, fetching }, refund] = useMutation(RefundOrderMutation);
  const amountId = useId();
  const reasonId = useId();
  const refundable = order.ledger?.refundable;
  if (!refundable) return null;

  const cents = parseAmount(amount);
  const lines = order.lines
    .filter((l) => (units[l.productId] ?? 0) > 0)
    .map((l) => ({ productId: l.productId, quantity: units[l.productId] ?? 0 }));
  const ready = mode === 'amount' ? cents !== null : lines.length > 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await refund({
      input: {
        orderId: order.id,
        reason: reason.trim() || null,
        ...(mode === 'amount' ? { amount: { amount: cents ?? 0, currency: refundable.currency } } : { lines }),
      },
    });
    const after = result.data?.refundOrder.order?.ledger;
    if (after) {
      setDone(`Refunded. ${after.refundable.formatted} is left to refund.`);
      dialog.current?.close();
    }
  };

  return (
    <>
      <button type="button" className="button" onClick={() => { setDone(null); dialog.current?.showModal(); }}>
        Refund…
      </button>
      {done && <p role="status">{done}</p>}
      <dialog ref={dialog} aria-labelledby={`${amountId}-title`} className="dialog">
        <form onSubmit={submit} className="stack" aria-label="Refund order">
          <h2 id={`${amountId}-title`}>Refund order {order.id}</h2>
          <p className="muted">Up to {refundable.formatted} is left to refund.</p>
          <fieldset className="radios">
            <legend>Refund</legend>
            <label className="radio">
              <input type="radio" name="refund-mode" checked={mode === 'amount'} onChange={() => setMode('amount')} /> An amount
            </label>
            <label className="radio">
              <input type="radio" name="refund-mode" checked={mode === 'lines'} onChange={() => setMode('lines')} /> Lines
            </label>
          </fieldset>
          {mode === 'amount' ? (
            <div className="field">
              <label htmlFor={amountId}>Amount ({refundable.currency})</label>
              <input id={amountId} inputMode="decimal" placeholder="12.50" value={amount} onChange={(e) => setAmount(e.target.value)} />
            </div>
          ) : (
            order.lines.map((l) => {
              const id = `${amountId}-${l.productId}`;
              return (
                <div className="field field--inline" key={l.productId}>
                  <label htmlFor={id}>
                    Units of {l.name} <span className="muted">({l.unitPrice.formatted} each, {l.quantity} bought)</span>
                  </label>
                  <input
                    id={id}
                    type="number"
                    min={0}
                    max={l.quantity}
                    value={units[l.productId] ?? 0}
                    onChange={(e) => setUnits({ ...units, [l.productId]: Math.max(0, Number(e.target.value) || 0) })}
                  />
                </div>
              );
            })
          )}
          <div className="field">
            <label htmlFor={reasonId}>Reason, shown to the customer</label>
            <input id={reasonId} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <ErrorMessage error={error} errors={data?.refundOrder.errors} />
          <div className="actions">
            <button type="submit" className="button button--danger" disabled={fetching || !ready}>
              {fetching ? 'Refunding…' : 'Refund'}
            </button>
            <button type="button" className="button button--quiet" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
