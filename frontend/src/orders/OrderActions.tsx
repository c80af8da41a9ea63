import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { AddressFields, toAddressInput, type AddressValue } from '../components/AddressFields';
import { ErrorMessage } from '../components/Feedback';
import type { OrderFieldsFragment } from '../gql/graphql';
import { partly } from '../locations/shipmentsChange';
import { CancelOrderMutation, UpdateShippingAddressMutation } from './operations';

/** What a cancel does with the money: a full charge is refunded, a hold released. */
type Money = 'charged' | 'held' | 'none';

function CancelOrder({ orderId, money }: { orderId: string; money: Money }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [{ data, error, fetching }, cancel] = useMutation(CancelOrderMutation);
  const reasonId = useId();
  const requested = data?.cancelOrder.order != null;

  // Cancelled in part (some parcels had left): what is held for the others is released once they end.
  const inPart = (data?.cancelOrder.shipments?.dispatched.length ?? 0) > 0;
  const note = inPart ? '' : { charged: '; your payment will be refunded', held: '; the amount held on your card will be released', none: '' }[money];
  if (requested) return <p role="status">Cancellation requested{note}.{partly(data?.cancelOrder.shipments, 'cancelled')}</p>;
  return (
    <div>
      {!open ? (
        <button type="button" className="button button--danger" onClick={() => setOpen(true)}>
          Cancel order…
        </button>
      ) : (
        <form
          className="inline-form"
          aria-label="Cancel order"
          onSubmit={(e) => {
            e.preventDefault();
            void cancel({ input: { orderId, reason: reason.trim() || null } });
          }}
        >
          <div className="field field--grow">
            <label htmlFor={reasonId}>Reason (optional)</label>
            <input id={reasonId} maxLength={500} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          {money === 'charged' && <p className="muted">You paid already: the full amount is refunded.</p>}
          {money === 'held' && <p className="muted">The amount held on your card is released; you are not charged.</p>}
          <div className="actions">
            <button type="submit" className="button button--danger" disabled={fetching}>
              Confirm cancellation
            </button>
            <button type="button" className="button button--quiet" onClick={() => setOpen(false)}>
              Keep order
            </button>
          </div>
        </form>
      )}
      <ErrorMessage error={error} errors={data?.cancelOrder.errors} />
    </div>
  );
}

function ChangeAddress({ orderId, current }: { orderId: string; current: OrderFieldsFragment['shippingAddress'] }) {
  const [open, setOpen] = useState(false);
  const [address, setAddress] = useState<AddressValue>(current);
  const [{ data, error, fetching }, update] = useMutation(UpdateShippingAddressMutation);
  const saved = data?.updateShippingAddress.order != null;

  if (!open) {
    return (
      <>
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Change address…
        </button>
        {saved && <p role="status">Address changed.{partly(data?.updateShippingAddress.shipments, 'going to the new address')}</p>}
      </>
    );
  }
  return (
    <form
      aria-label="Change shipping address"
      onSubmit={async (e) => {
        e.preventDefault();
        const result = await update({ input: { orderId, shippingAddress: toAddressInput(address) } });
        if (result.data?.updateShippingAddress.order) setOpen(false);
      }}
    >
      <AddressFields value={address} onChange={setAddress} errors={data?.updateShippingAddress.errors} />
      <ErrorMessage error={error} errors={data?.updateShippingAddress.errors.filter((e) => !e.field?.includes('shippingAddress.'))} />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={fetching}>
          Save address
        </button>
        <button type="button" className="button button--quiet" onClick={() => setOpen(false)}>
          Keep the old one
        </button>
      </div>
    </form>
  );
}

/** Cancel and change-address, offered only while the order allows them. */
export function OrderActions({ order }: { order: OrderFieldsFragment }) {
  if (!order.canCancel && !order.canChangeAddress) return null;
  return (
    <section className="card order-actions" aria-label="Order actions">
      {order.canChangeAddress && <ChangeAddress orderId={order.id} current={order.shippingAddress} />}
      {order.canCancel && (
        <CancelOrder
          orderId={order.id}
          money={order.payment?.status === 'CHARGED' ? 'charged' : order.ledger?.status === 'AUTHORIZED' ? 'held' : 'none'}
        />
      )}
    </section>
  );
}
