import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorMessage, Loading } from '../components/Feedback';
import type { ApprovalMode, FailureRateInput, SettingsFieldsFragment } from '../gql/graphql';
import { SetFailureRatesMutation, SettingsQuery, UpdateApprovalSettingsMutation } from './operations';
import { STEP_LABELS, STEPS } from './SimulateFailureForm';

const MODES: Record<ApprovalMode, string> = {
  ABOVE_THRESHOLD: 'Orders above the threshold',
  ALWAYS: 'Every order',
  NEVER: 'No order',
};

/** Parses a decimal amount such as "1000" or "12.5" into minor units without floating point; null if malformed. */
export function parseMinorUnits(text: string): number | null {
  const m = /^\s*(\d{1,12})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const [, whole = '0', fraction = ''] = m;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Formats minor units as a plain decimal for an input ("1000.00"). */
export function formatMinorUnits(amount: number): string {
  return `${Math.trunc(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}

function ApprovalSettingsForm({ settings }: { settings: SettingsFieldsFragment }) {
  const id = useId();
  const [mode, setMode] = useState<ApprovalMode>(settings.approvalMode);
  const [threshold, setThreshold] = useState(formatMinorUnits(settings.approvalThreshold.amount));
  const [timeout, setTimeout] = useState(String(settings.approvalTimeoutSeconds));
  const [{ data, error, fetching }, save] = useMutation(UpdateApprovalSettingsMutation);
  const amount = parseMinorUnits(threshold);
  const saved = data?.updateApprovalSettings.settings != null;

  return (
    <form
      className="stack"
      aria-label="Approval settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (amount === null) return;
        void save({
          input: {
            mode,
            threshold: { amount, currency: settings.approvalThreshold.currency },
            timeoutSeconds: Number(timeout),
          },
        });
      }}
    >
      <h3>Approval</h3>
      <div className="field">
        <label htmlFor={`${id}-mode`}>Orders that need approval</label>
        <select id={`${id}-mode`} value={mode} onChange={(e) => setMode(e.target.value as ApprovalMode)}>
          {(Object.keys(MODES) as ApprovalMode[]).map((m) => (
            <option key={m} value={m}>
              {MODES[m]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-threshold`}>Threshold ({settings.approvalThreshold.currency})</label>
        <input
          id={`${id}-threshold`}
          inputMode="decimal"
          value={threshold}
          aria-invalid={amount === null ? true : undefined}
          onChange={(e) => setThreshold(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-timeout`}>Decision timeout (seconds)</label>
        <input
          id={`${id}-timeout`}
          type="number"
          min={1}
          max={30 * 24 * 3600}
          value={timeout}
          onChange={(e) => setTimeout(e.target.value)}
        />
      </div>
      <ErrorMessage error={error} errors={data?.updateApprovalSettings.errors} />
      <button type="submit" className="button button--primary" disabled={fetching || amount === null}>
        Save approval settings
      </button>
      <p role="status" className="muted">
        {saved ? 'Approval settings saved.' : ''}
      </p>
    </form>
  );
}

type RateDraft = { failure: string; latency: string; latencyMs: string };

function FailureRatesForm({ settings }: { settings: SettingsFieldsFragment }) {
  const id = useId();
  const [drafts, setDrafts] = useState<Record<string, RateDraft>>(() =>
    Object.fromEntries(
      STEPS.map((step) => {
        const r = settings.failureRates.find((x) => x.step === step);
        return [
          step,
          {
            failure: String(Math.round((r?.failureProbability ?? 0) * 100)),
            latency: String(Math.round((r?.latencyProbability ?? 0) * 100)),
            latencyMs: String(r?.latencyMs ?? 0),
          },
        ];
      }),
    ),
  );
  const [{ data, error, fetching }, save] = useMutation(SetFailureRatesMutation);
  const saved = data?.setFailureRates.settings != null;
  const set = (step: string, key: keyof RateDraft, value: string) =>
    setDrafts((d) => ({ ...d, [step]: { ...(d[step] as RateDraft), [key]: value } }));

  return (
    <form
      className="stack"
      aria-label="Failure rates"
      onSubmit={(e) => {
        e.preventDefault();
        const rates: FailureRateInput[] = STEPS.map((step) => {
          const d = drafts[step] as RateDraft;
          return {
            step,
            failureProbability: Number(d.failure) / 100,
            latencyProbability: Number(d.latency) / 100,
            latencyMs: Number(d.latencyMs),
          };
        });
        void save({ input: { rates } });
      }}
    >
      <h3>Random failures</h3>
      <p className="muted">Chance per attempt. A delay longer than the step’s timeout makes it time out and retry.</p>
      <div className="rates">
        {STEPS.map((step) => {
          const d = drafts[step] as RateDraft;
          const label = STEP_LABELS[step];
          return (
            <fieldset key={step} className="rate">
              <legend>{label}</legend>
              <div className="field">
                <label htmlFor={`${id}-${step}-f`}>Failure %</label>
                <input id={`${id}-${step}-f`} type="number" min={0} max={100} value={d.failure} onChange={(e) => set(step, 'failure', e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-${step}-l`}>Delay %</label>
                <input id={`${id}-${step}-l`} type="number" min={0} max={100} value={d.latency} onChange={(e) => set(step, 'latency', e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-${step}-ms`}>Delay (ms)</label>
                <input id={`${id}-${step}-ms`} type="number" min={0} max={60000} step={100} value={d.latencyMs} onChange={(e) => set(step, 'latencyMs', e.target.value)} />
              </div>
            </fieldset>
          );
        })}
      </div>
      <ErrorMessage error={error} errors={data?.setFailureRates.errors} />
      <button type="submit" className="button button--primary" disabled={fetching}>
        Save failure rates
      </button>
      <p role="status" className="muted">
        {saved ? 'Failure rates saved.' : ''}
      </p>
    </form>
  );
}

/** The operator's runtime knobs: who needs approval, and how often steps fail or stall. */
export function SettingsPanel() {
  const [{ data, fetching, error }] = useQuery({ query: SettingsQuery });
  return (
    <section className="card" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <ErrorMessage error={error} />
      {!data && fetching && <Loading label="Loading settings…" />}
      {data && (
        <div className="settings">
          <ApprovalSettingsForm key={`a-${data.settings.updatedAt ?? ''}`} settings={data.settings} />
          <FailureRatesForm key={`f-${data.settings.updatedAt ?? ''}`} settings={data.settings} />
        </div>
      )}
    </section>
  );
}
