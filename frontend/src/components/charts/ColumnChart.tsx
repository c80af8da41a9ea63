import { niceMax, stackTotal } from './scale';
import './charts.css';

/** One series of a chart: the key of its values, its name, and its colour (a class of charts.css). */
export interface Series {
  key: string;
  label: string;
  tone: 'success' | 'danger' | 'neutral' | 'attention' | 'progress';
}

/** One column: its label (a time, for people) and a value per series key. */
export interface Bucket {
  label: string;
  values: Readonly<Record<string, number>>;
}

const HEIGHT = 100;
const GAP = 0.2;

/**
 * Stacked columns, one per bucket, drawn in plain SVG. The SVG stretches to
 * its box (the marks only; labels are HTML so they stay legible at any
 * width). For assistive technology the drawing is one image whose name is
 * `summary`; the numbers are in a table below it, behind a disclosure.
 */
export function ColumnChart({
  title,
  summary,
  buckets,
  series,
  axis,
  bucketHeader = 'Minute',
}: {
  title: string;
  summary: string;
  buckets: readonly Bucket[];
  series: readonly Series[];
  /** The labels under the first and the last column. */
  axis: { start: string; end: string };
  bucketHeader?: string;
}) {
  const keys = series.map((s) => s.key);
  const top = niceMax(Math.max(0, ...buckets.map((b) => stackTotal(b.values, keys))));
  const n = Math.max(buckets.length, 1);
  const busy = buckets.filter((b) => stackTotal(b.values, keys) > 0);
  return (
    <figure className="chart">
      <div className="chart__frame">
        <div className="chart__scale" aria-hidden="true">
          <span>{top}</span>
          <span>0</span>
        </div>
        <svg className="chart__plot" role="img" aria-label={summary} viewBox={`0 0 ${n} ${HEIGHT}`} preserveAspectRatio="none">
          {[0, 0.5, 1].map((f) => (
            <line key={f} className="chart__grid" x1={0} x2={n} y1={HEIGHT * f} y2={HEIGHT * f} vectorEffect="non-scaling-stroke" />
          ))}
          {buckets.map((b, i) => {
            let y = HEIGHT;
            return (
              <g key={`${i}-${b.label}`}>
                <title>{`${b.label}: ${series.map((s) => `${b.values[s.key] ?? 0} ${s.label}`).join(', ')}`}</title>
                {series.map((s) => {
                  const h = ((b.values[s.key] ?? 0) / top) * HEIGHT;
                  if (h <= 0) return null;
                  y -= h;
                  return <rect key={s.key} className={`chart__fill chart__fill--${s.tone}`} x={i + GAP / 2} width={1 - GAP} y={y} height={h} />;
                })}
              </g>
            );
          })}
        </svg>
      </div>
      <div className="chart__axis" aria-hidden="true">
        <span>{axis.start}</span>
        <span>{axis.end}</span>
      </div>
      <figcaption className="chart__legend">
        <span className="visually-hidden">{title}. </span>
        {series.map((s) => (
          <span key={s.key} className="chart__key">
            <svg className="chart__swatch" viewBox="0 0 10 10" aria-hidden="true">
              <rect className={`chart__fill chart__fill--${s.tone}`} width={10} height={10} rx={2} />
            </svg>
            {s.label}
          </span>
        ))}
      </figcaption>
      <details className="chart__numbers">
        <summary>Show the numbers</summary>
        <table className="chart__table">
          <caption>
            {title} (only the {bucketHeader.toLowerCase()}s with something to count)
          </caption>
          <thead>
            <tr>
              <th scope="col">{bucketHeader}</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {busy.map((b, i) => (
              <tr key={`${i}-${b.label}`}>
                <th scope="row">{b.label}</th>
                {series.map((s) => (
                  <td key={s.key}>{b.values[s.key] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              {series.map((s) => (
                <td key={s.key}>{buckets.reduce((sum, b) => sum + (b.values[s.key] ?? 0), 0)}</td>
              ))}
            </tr>
          </tfoot>
        </table>
      </details>
    </figure>
  );
}
