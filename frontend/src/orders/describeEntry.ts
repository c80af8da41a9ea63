import type { TimelineEntryFieldsFragment as Entry } from '../gql/graphql';
import { STATUS_INFO, type Tone } from './status';

/** A timeline entry as the order page shows it. */
export interface EntryView {
  title: string;
  /** What the entry means, in plain words; null when the detail says it all. */
  explanation: string | null;
  tone: Tone;
}

/** Statuses that mean the order stopped instead of moving on. */
const STOPPED = new Set(['FAILED', 'CANCELLED', 'REFUNDED']);

const TIMED_OUT = /time(d)?[\s-]?out|deadline/i;
const PERMANENT = /permanent|non-retryable|declined/i;

function explainFailure(entry: Entry, later: readonly Entry[]): string {
  const cause = TIMED_OUT.test(entry.detail)
    ? 'The step took longer than its time limit, so it was stopped.'
    : PERMANENT.test(entry.detail)
      ? 'The step failed in a way that retrying cannot fix.'
      : 'This attempt of the step did not succeed.';
  const statuses = later.filter((e) => e.kind === 'STATUS').map((e) => e.status);
  if (statuses.some((s) => !STOPPED.has(s))) return `${cause} Orderly tried again automatically and the order carried on.`;
  if (statuses.includes('FAILED')) return `${cause} The order was stopped and earlier steps were undone.`;
  if (statuses.includes('CANCELLED')) return `${cause} Orderly was still retrying it when the order was cancelled.`;
  return `${cause} Orderly retries it automatically; there is nothing you need to do.`;
}

function explainCompensation(entry: Entry): string {
  // The detail names what was undone; the status only says where the order stood.
  if (/hold/i.test(entry.detail)) {
    return 'The amount held on your card was released: you were not charged.';
  }
  if (/releas|stock|inventor/i.test(entry.detail)) {
    return 'To undo an earlier step, the items set aside for you went back into stock.';
  }
  if (/shipment|shipping|label/i.test(entry.detail)) {
    return 'The shipment was called off before it left the warehouse.';
  }
  if (/refund/i.test(entry.detail) || entry.status === 'REFUNDED') {
    return 'To undo an earlier step, your payment was refunded in full.';
  }
  return 'An earlier step was undone so that nothing is left half done.';
}

/** Names an update by what its detail reports: a money movement, a return, or anything else. */
function infoTitle(entry: Entry): string {
  if (/^Payment /.test(entry.detail)) return 'Payment';
  if (/^(Refunded|Nothing left to refund)/.test(entry.detail)) return 'Refund';
  if (/^Return /.test(entry.detail)) return 'Return';
  return 'Update';
}

/**
 * Describes a timeline entry for people. `later` are the entries that came
 * after it: they tell whether a failure was retried away or was final.
 */
export function describeEntry(entry: Entry, later: readonly Entry[]): EntryView {
  switch (entry.kind) {
    case 'STATUS': {
      const info = STATUS_INFO[entry.status];
      return { title: info.label, explanation: info.meaning, tone: info.tone };
    }
    case 'FAILURE':
      return { title: 'A step failed', explanation: explainFailure(entry, later), tone: 'danger' };
    case 'COMPENSATION':
      return { title: 'Undone', explanation: explainCompensation(entry), tone: 'attention' };
    case 'INFO':
      return { title: infoTitle(entry), explanation: null, tone: 'neutral' };
  }
}
