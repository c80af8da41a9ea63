import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorMessage } from '../components/Feedback';
import { ApproveOrderMutation, RejectOrderMutation } from './operations';

/** Approve, or reject with a reason the customer will read. */
export function ApprovalActions({ orderId }: { orderId: string }) {
  const [approving, approve] = useMutation(ApproveOrderMutation);
  const [rejecting, reject] = useMutation(RejectOrderMutation);
  const [rejectOpen, setRejectOpen] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const busy = approving.fetching || rejecting.fetching;

  return (
    <div className="approval">
      <div className="actions">
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          aria-label={`Approve order ${orderId}`}
          onClick={() => approve({ input: { orderId } })}
        >
          Approve
        </button>
        <button
          type="button"
          className="button button--danger"
          disabled={busy}
          aria-expanded={rejectOpen}
          aria-label={`Reject order ${orderId}`}
          onClick={() => setRejectOpen((o) => !o)}
        >
          Reject…
        </button>
      </div>
      {rejectOpen && (
        <form
          className="inline-form"
          aria-label={`Reject order ${orderId}`}
          onSubmit={(e) => {
            e.preventDefault();
            void reject({ input: { orderId, reason: reason.trim() } });
          }}
        >
          <div className="field field--grow">
            <label htmlFor={reasonId}>Reason for rejecting</label>
            <input
              id={reasonId}
              required
              maxLength={500}
              autoFocus
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <button type="submit" className="button button--danger" disabled={busy || reason.trim() === ''}>
            Confirm rejection
          </button>
        </form>
      )}
      <ErrorMessage
        error={approving.error ?? rejecting.error}
        errors={[...(approving.data?.approveOrder.errors ?? []), ...(rejecting.data?.rejectOrder.errors ?? [])]}
      />
    </div>
  );
}
