import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorMessage, Loading } from '../components/Feedback';
import { TierProgress } from '../rewards/TierProgress';
import { CloseRewardsMutation, OperatorRewardsQuery } from './operations';

function CustomerRewards({ customerId }: { customerId: string }) {
  const [{ data, fetching, error }] = useQuery({ query: OperatorRewardsQuery, variables: { customerId } });
  const [closing, close] = useMutation(CloseRewardsMutation);
  if (error) return <ErrorMessage error={error} />;
  if (!data) return fetching ? <Loading /> : null;
  const r = data.rewards;
  return (
    <div className="stack">
      <TierProgress {...r} />
      <p>
        Workflow <code>{r.workflowId}</code>: {r.workflowRunning ? 'running' : 'closed'}
        {r.temporalUrl && (
          <>
            {' · '}
            <a href={r.temporalUrl} target="_blank" rel="noreferrer">
              Temporal UI
            </a>
          </>
        )}
      </p>
      <ErrorMessage error={closing.error} errors={closing.data?.closeRewards.errors} />
      <button
        type="button"
        className="button button--danger"
        disabled={!r.workflowRunning || closing.fetching}
        onClick={() => close({ input: { customerId } })}
      >
        Close rewards workflow
      </button>
    </div>
  );
}

/** Looks up a customer's rewards and closes their workflow, as the close_workflow signal does. */
export function RewardsTool() {
  const id = useId();
  const [draft, setDraft] = useState('');
  const [customerId, setCustomerId] = useState('');
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Customer rewards</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setCustomerId(draft.trim().replace(/^rewards_/, ''));
        }}
      >
        <div className="field field--grow">
          <label htmlFor={`${id}-customer`}>Customer or workflow ID</label>
          <input id={`${id}-customer`} required placeholder="cus_… or rewards_cus_…" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </div>
        <button type="submit" className="button">
          Look up
        </button>
      </form>
      {customerId && <CustomerRewards key={customerId} customerId={customerId} />}
    </section>
  );
}
