import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorMessage } from '../components/Feedback';
import type { ReturnStatus } from '../gql/graphql';
import { ApproveReturnMutation, MarkReturnReceivedMutation, RejectReturnMutation } from './operations';

/** An operator's decisions on one return: approve or reject a request, mark an approved parcel received. */
export function ReturnActions({ orderId, returnId, status }: { orderId: string; returnId: string; status: ReturnStatus }) {
  const [approving, approve] = useMutation(ApproveReturnMutation);
  const [rejecting, reject] = useMutation(RejectReturnMutation);
  const [receiving, receive] = useMutation(MarkReturnReceivedMutation);
  const [rejectOpen, setRejectOpen] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const busy = approving.fetching || rejecting.fetching || receiving.fetching;
  const input = { orderId, returnId };

  return (
    <div className="approval">
      <div className="actions">
        {status === 'REQUESTED' && (
          <>
            <button type="button" className="button button--primary" disabled={busy} aria-label={`Approve return ${returnId}`}
              onClick={() => approve({ input })}>
              Approve
            </button>
            <button type="button" className="button button--danger" disabled={busy} aria-expanded={rejectOpen}
              aria-label={`Reject return ${returnId}`} onClick={() => setRejectOpen((o) => !o)}>
              Reject…
            </button>
          </>
        )}
        {(status === 'APPROVED' || status === 'IN_TRANSIT') && (
          <button type="button" className="button" disabled={busy} aria-label={`Mark return ${returnId} received`}
            onClick={() => receive({ input })}>
            Mark received
          </button>
        )}
      </div>
      {rejectOpen && status === 'REQUESTED' && (
        <form
          className="inline-form"
          aria-label={`Reject return ${returnId}`}
          onSubmit={(e) => {
            e.preventDefault();
            void reject({ input: { ...input, reason: reason.trim() } });
          }}
        >
          <div className="field field--grow">
            <label htmlFor={reasonId}>Reason for rejecting the return</label>
            <input id={reasonId} required maxLength={500} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <button type="submit" className="button button--danger" disabled={busy || reason.trim() === ''}>
            Confirm rejection
          </button>
        </form>
      )}
      <ErrorMessage
        error={approving.error ?? rejecting.error ?? receiving.error}
        errors={[
          ...(approving.data?.approveReturn.errors ?? []),
          ...(rejecting.data?.rejectReturn.errors ?? []),
          ...(receiving.data?.markReturnReceived.errors ?? []),
        ]}
      />
    </div>
  );
}
