import { niceMax } from './scale';
import './charts.css';

/** One bar: its label, its value and its colour (a class of charts.css). */
export interface Bar {
  label: string;
  value: number;
  tone: 'success' | 'danger' | 'neutral' | 'attention' | 'progress';
}

/**
 * Horizontal bars, one per row, each drawn in plain SVG beside its label
 * and value (HTML, so they stay legible at any width). For assistive
 * technology the rows are one image whose name is `summary`; the numbers
 * are in a table below it, behind a disclosure.
 */
export function BarChart({
  title,
  summary,
  bars,
  labelHeader,
  valueHeader,
}: {
  title: string;
  summary: string;
  bars: readonly Bar[];
  labelHeader: string;
  valueHeader: string;
}) {
  const top = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  return (
    <figure className="chart">
      <div className="bars" role="img" aria-label={summary}>
        {bars.map((b) => (
          <div key={b.label} className="bars__row">
            <span className="bars__label">{b.label}</span>
            <svg className="bars__plot" viewBox="0 0 100 10" preserveAspectRatio="none">
              <title>{`${b.label}: ${b.value}`}</title>
              <rect className="bars__track" x={0} y={1} width={100} height={8} />
              {b.value > 0 && <rect className={`chart__fill chart__fill--${b.tone}`} x={0} y={1} width={(b.value / top) * 100} height={8} />}
            </svg>
            <span className="bars__value">{b.value}</span>
          </div>
        ))}
      </div>
      <figcaption className="visually-hidden">{title}</figcaption>
      <details className="chart__numbers">
        <summary>Show the numbers</summary>
        <table className="chart__table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{labelHeader}</th>
              <th scope="col">{valueHeader}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.label}>
                <th scope="row">{b.label}</th>
                <td>{b.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
