import { useCallback, useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { BarChart } from '../../components/charts/BarChart';
import { ColumnChart, type Series } from '../../components/charts/ColumnChart';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { PageHeading } from '../../components/PageHeading';
import { Time } from '../../components/Time';
import type { OperationsDashboardQuery as Result } from '../../gql/graphql';
import { STATUS_INFO } from '../../orders/status';
import { ConsoleNav } from '../ConsoleNav';
import { formatSeconds, minuteLabel, perMinuteSummary, statusSummary } from './figures';
import { OperationsDashboardQuery } from './operations';
import './dashboard.css';

type Dashboard = Result['operationsDashboard'];

/**
 * How often the page asks again. The figures are per minute and the server
 * keeps a dashboard for 5 s, so a poll every 10 s is live enough and costs
 * the store at most one read per server process per 5 s, however many
 * operators watch; a subscription would recompute on every order change.
 */
export const REFRESH_MS = 10_000;

const WINDOWS = [15, 30, 60] as const;

const ENDED: Series[] = [
  { key: 'completed', label: 'Completed', tone: 'success' },
  { key: 'failed', label: 'Failed', tone: 'danger' },
  { key: 'cancelled', label: 'Cancelled', tone: 'neutral' },
];
const TROUBLE: Series[] = [
  { key: 'retries', label: 'Retries', tone: 'attention' },
  { key: 'compensations', label: 'Compensations', tone: 'danger' },
];

/** Asks for the dashboard again every REFRESH_MS while the page is visible. */
function usePolling(refresh: () => void) {
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, REFRESH_MS);
    return () => window.clearInterval(id);
  }, [refresh]);
}

function Totals({ d }: { d: Dashboard }) {
  const t = d.totals;
  const tiles: [string, string, string?][] = [
    ['Completed', String(t.completed)],
    ['Failed', String(t.failed)],
    ['Cancelled', String(t.cancelled)],
    ['Retries', String(t.retries)],
    ['Compensations', String(t.compensations), `${t.refunds} refunds, ${t.stockReleases} stock releases, ${t.otherCompensations} other`],
    ['Time to complete, p50', formatSeconds(d.timeToComplete.p50Seconds)],
    ['Time to complete, p95', formatSeconds(d.timeToComplete.p95Seconds)],
  ];
  return (
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading" className="visually-hidden">
        Totals of the last {d.windowMinutes} minutes
      </h2>
      <dl className="tiles">
        {tiles.map(([label, value, note]) => (
          <div key={label} className="tile">
            <dt>{label}</dt>
            <dd>
              <span className="tile__value">{value}</span>
              {note && <span className="tile__note">{note}</span>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Charts({ d }: { d: Dashboard }) {
  const buckets = d.minutes.map(({ start, ...values }) => ({ label: minuteLabel(start), values }));
  const first = d.minutes[0];
  const axis = { start: first ? minuteLabel(first.start) : '', end: 'now' };
  const ttc = d.timeToComplete;
  return (
    <div className="dashboard">
      <section className="card" aria-labelledby="by-status-heading">
        <h2 id="by-status-heading">Orders by status now</h2>
        <BarChart
          title="Orders by status now"
          summary={statusSummary(d.ordersByStatus)}
          labelHeader="Status"
          valueHeader="Orders"
          bars={d.ordersByStatus.map((c) => ({ label: STATUS_INFO[c.status].label, value: c.count, tone: STATUS_INFO[c.status].tone }))}
        />
      </section>
      <section className="card" aria-labelledby="ended-heading">
        <h2 id="ended-heading">Orders completed and failed per minute</h2>
        <ColumnChart
          title="Orders ended per minute"
          summary={perMinuteSummary('Orders ended', d.minutes, ENDED, d.windowMinutes)}
          buckets={buckets}
          series={ENDED}
          axis={axis}
        />
      </section>
      <section className="card" aria-labelledby="trouble-heading">
        <h2 id="trouble-heading">Retries and compensations per minute</h2>
        <ColumnChart
          title="Retries and compensations per minute"
          summary={perMinuteSummary('Retries and compensations', d.minutes, TROUBLE, d.windowMinutes)}
          buckets={buckets}
          series={TROUBLE}
          axis={axis}
        />
      </section>
      <section className="card" aria-labelledby="ttc-heading">
        <h2 id="ttc-heading">Time to complete</h2>
        <p className="muted">From placement to COMPLETED, for the {ttc.count} orders completed in the window.</p>
        <table className="chart__table" aria-labelledby="ttc-heading">
          <tbody>
            <tr>
              <th scope="row">Median (p50)</th>
              <td>{formatSeconds(ttc.p50Seconds)}</td>
            </tr>
            <tr>
              <th scope="row">95th percentile (p95)</th>
              <td>{formatSeconds(ttc.p95Seconds)}</td>
            </tr>
            <tr>
              <th scope="row">Longest</th>
              <td>{formatSeconds(ttc.maxSeconds)}</td>
            </tr>
            <tr>
              <th scope="row">Orders measured</th>
              <td>{ttc.count}</td>
            </tr>
          </tbody>
        </table>
      </section>
    </div>
  );
}

/**
 * The operations dashboard: what the system is doing now and over the last
 * hour, from the operationsDashboard query, asked again every REFRESH_MS.
 */
export function DashboardPage() {
  const [windowMinutes, setWindowMinutes] = useState<number>(60);
  const [{ data, fetching, error }, refresh] = useQuery({ query: OperationsDashboardQuery, variables: { windowMinutes } });
  const again = useCallback(() => refresh({ requestPolicy: 'network-only' }), [refresh]);
  usePolling(again);
  const d = data?.operationsDashboard;
  return (
    <>
      <PageHeading title="Operations dashboard">Operations dashboard</PageHeading>
      <ConsoleNav />
      <div className="dashboard__bar">
        <div className="field field--inline">
          <label htmlFor="dashboard-window">Window</label>
          <select id="dashboard-window" value={windowMinutes} onChange={(e) => setWindowMinutes(Number(e.target.value))}>
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                Last {w} minutes
              </option>
            ))}
          </select>
        </div>
        <p className="muted dashboard__updated">
          {d ? (
            <>
              Updated <Time value={d.generatedAt} short />, from {d.ordersRead} orders changed in the window; refreshes every {REFRESH_MS / 1000} s.
            </>
          ) : (
            'Refreshes every 10 s.'
          )}
        </p>
        <button type="button" className="button" disabled={fetching} onClick={again}>
          Refresh now
        </button>
      </div>
      <ErrorMessage error={error} />
      {!d && fetching && <Loading label="Loading the dashboard…" />}
      {d && (
        <>
          {d.partial && (
            <p className="alert alert--attention">More orders changed in the window than one dashboard reads; the figures cover the {d.ordersRead} changed last.</p>
          )}
          <Totals d={d} />
          <Charts d={d} />
        </>
      )}
    </>
  );
}
