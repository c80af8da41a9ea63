import { describeCounts } from '../../components/charts/scale';
import type { OrderStatus } from '../../gql/graphql';
import { STATUS_INFO } from '../../orders/status';

/** A duration in seconds for people: "3.2 s", "42 s", "4 min 05 s", "1 h 02 min"; "—" for none. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** The minute a bucket starts, in the reader's time zone: "14:05". */
export function minuteLabel(iso: string): string {
  return clock.format(new Date(iso));
}

/** What the status chart shows, in one sentence. */
export function statusSummary(counts: readonly { status: OrderStatus; count: number }[]): string {
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const parts = counts.map((c) => ({ label: STATUS_INFO[c.status].label.toLowerCase(), value: c.count }));
  const shown = describeCounts(parts);
  if (total === 0) return 'Orders by status now: no orders yet.';
  const rest = counts.some((c) => c.count === 0) ? '; none in the other statuses' : '';
  return `Orders by status now, ${total} in all: ${shown}${rest}.`;
}

interface MinuteCounts {
  start: string;
  [key: string]: number | string;
}

/**
 * What a per-minute chart shows, in one sentence: the totals of its series
 * over the window and its busiest minute.
 */
export function perMinuteSummary(
  what: string,
  minutes: readonly MinuteCounts[],
  series: readonly { key: string; label: string }[],
  windowMinutes: number,
): string {
  const totals = series.map((s) => ({
    label: s.label.toLowerCase(),
    value: minutes.reduce((sum, m) => sum + Number(m[s.key] ?? 0), 0),
  }));
  const perMinute = minutes.map((m) => series.reduce((sum, s) => sum + Number(m[s.key] ?? 0), 0));
  const peak = Math.max(0, ...perMinute);
  const head = `${what} per minute over the last ${windowMinutes} minutes: ${describeCounts(totals)}`;
  if (peak === 0) return `${head}.`;
  const at = minutes[perMinute.indexOf(peak)];
  return `${head}; at most ${peak} in one minute${at ? `, at ${minuteLabel(at.start)}` : ''}.`;
}
