import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorMessage } from '../components/Feedback';
import type { FailureMode, Step } from '../gql/graphql';
import { SimulateFailureMutation } from './operations';

/** Each step, described; a Record so that a new step fails the type check until it is described here. */
export const STEP_LABELS: Record<Step, string> = {
  VALIDATION: 'Validation',
  INVENTORY: 'Inventory',
  PAYMENT: 'Payment',
  SHIPPING: 'Shipping',
};

const MODES: Record<FailureMode, { label: string; effect: string }> = {
  TRANSIENT: { label: 'Transient', effect: 'fails a few attempts; retries recover' },
  PERMANENT: { label: 'Permanent', effect: 'fails for good; the order compensates and fails' },
  TIMEOUT: { label: 'Timeout', effect: 'the next attempt outlives its time limit and is retried' },
};

export const STEPS = Object.keys(STEP_LABELS) as Step[];

/**
 * The simulation panel: injects a failure into a step of a running order.
 * Without `orderId` it asks for one (an order ID, or its workflow ID).
 */
export function SimulateFailureForm({ orderId }: { orderId?: string }) {
  const [target, setTarget] = useState('');
  const [step, setStep] = useState<Step>('PAYMENT');
  const [mode, setMode] = useState<FailureMode>('TRANSIENT');
  const [parcel, setParcel] = useState('');
  const [{ data, error, fetching }, simulate] = useMutation(SimulateFailureMutation);
  const [done, setDone] = useState<string | null>(null);
  const id = useId();

  return (
    <form
      className="simulate"
      aria-label="Inject a failure"
      onSubmit={async (e) => {
        e.preventDefault();
        setDone(null);
        const order = orderId ?? target.trim().replace(/^order_/, '');
        const shipmentId = step === 'SHIPPING' ? parcel.trim() : '';
        const result = await simulate({ input: { orderId: order, step, mode, ...(shipmentId ? { shipmentId } : {}) } });
        if (result.data?.simulateFailure.order) {
          setDone(`${MODES[mode].label} ${STEP_LABELS[step].toLowerCase()} failure injected into ${order}; it strikes when the step runs.`);
        }
      }}
    >
      {!orderId && (
        <div className="field">
          <label htmlFor={`${id}-order`}>Order or workflow ID</label>
          <input
            id={`${id}-order`}
            required
            placeholder="ord_… or order_ord_…"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-step`}>Step</label>
        <select id={`${id}-step`} value={step} onChange={(e) => setStep(e.target.value as Step)}>
          {STEPS.map((s) => (
            <option key={s} value={s}>
              {STEP_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      {step === 'SHIPPING' && (
        <div className="field">
          <label htmlFor={`${id}-parcel`}>Parcel (optional)</label>
          <input
            id={`${id}-parcel`}
            placeholder="shp_…; empty strikes the first parcel not yet dispatched"
            value={parcel}
            onChange={(e) => setParcel(e.target.value)}
          />
        </div>
      )}
      <fieldset className="radios">
        <legend>Failure mode</legend>
        {(Object.keys(MODES) as FailureMode[]).map((m) => (
          <label key={m} className="radio">
            <input type="radio" name={`${id}-mode`} value={m} checked={mode === m} onChange={() => setMode(m)} />
            {MODES[m].label} — {MODES[m].effect}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button button--danger" disabled={fetching}>
        Inject failure
      </button>
      <p role="status" className="muted">
        {done}
      </p>
      <ErrorMessage error={error} errors={data?.simulateFailure.errors} />
    </form>
  );
}
