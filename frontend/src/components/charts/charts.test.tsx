import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BarChart } from './BarChart';
import { ColumnChart } from './ColumnChart';
import { describeCounts, niceMax, stackTotal } from './scale';

describe('niceMax', () => {
  it.each([
    [0, 1],
    [-3, 1],
    [1, 1],
    [1.5, 2],
    [3, 5],
    [7, 10],
    [10, 10],
    [11, 20],
    [49, 50],
    [51, 100],
    [120, 200],
  ])('tops %d at %d', (largest, top) => expect(niceMax(largest)).toBe(top));
});

describe('counts', () => {
  it('adds the series shown', () => expect(stackTotal({ a: 2, b: 3, c: 9 }, ['a', 'b', 'missing'])).toBe(5));
  it('names the non-zero counts in order', () =>
    expect(describeCounts([{ label: 'completed', value: 3 }, { label: 'failed', value: 0 }, { label: 'cancelled', value: 1 }])).toBe(
      '3 completed, 1 cancelled',
    ));
  it('says none', () => expect(describeCounts([{ label: 'completed', value: 0 }])).toBe('none'));
});

const series = [
  { key: 'ok', label: 'Completed', tone: 'success' as const },
  { key: 'bad', label: 'Failed', tone: 'danger' as const },
];

describe('ColumnChart', () => {
  it('draws stacked columns scaled to a round top, named by its summary, with the numbers in a table', () => {
    const { container } = render(
      <ColumnChart
        title="Orders ended"
        summary="3 completed, 1 failed"
        series={series}
        axis={{ start: '10:00', end: 'now' }}
        buckets={[
          { label: '10:00', values: { ok: 2, bad: 1 } },
          { label: '10:01', values: { ok: 0, bad: 0 } },
          { label: '10:02', values: { ok: 1, bad: 0 } },
        ]}
      />,
    );
    const img = screen.getByRole('img', { name: '3 completed, 1 failed' });
    expect(img.tagName.toLowerCase()).toBe('svg');
    expect(img.getAttribute('viewBox')).toBe('0 0 3 100');
    // The busiest minute holds 3: the axis tops at 5, so 2 of 5 is 40 high, stacked from the bottom.
    const heights = [...container.querySelectorAll('svg.chart__plot rect')].map((r) => [r.getAttribute('class'), r.getAttribute('y'), r.getAttribute('height')]);
    expect(heights).toEqual([
      ['chart__fill chart__fill--success', '60', '40'],
      ['chart__fill chart__fill--danger', '40', '20'],
      ['chart__fill chart__fill--success', '80', '20'],
    ]);
    const table = screen.getByRole('table', { hidden: true });
    const rows = within(table)
      .getAllByRole('row', { hidden: true })
      .map((r) => r.textContent);
    // Only the minutes with something to count, then the totals.
    expect(rows).toEqual(['MinuteCompletedFailed', '10:0021', '10:0210', 'Total31']);
  });

  it('has an axis even with nothing to show', () => {
    const { container } = render(<ColumnChart title="Empty" summary="none" series={series} axis={{ start: '', end: 'now' }} buckets={[]} />);
    expect(container.querySelector('.chart__scale')?.textContent).toBe('10');
    expect(container.querySelectorAll('svg.chart__plot rect')).toHaveLength(0);
  });
});

describe('BarChart', () => {
  it('draws a bar per row scaled to a round top, named by its summary', () => {
    const { container } = render(
      <BarChart
        title="By status"
        summary="4 completed, 1 failed"
        labelHeader="Status"
        valueHeader="Orders"
        bars={[
          { label: 'Completed', value: 4, tone: 'success' },
          { label: 'Failed', value: 1, tone: 'danger' },
          { label: 'Paid', value: 0, tone: 'progress' },
        ]}
      />,
    );
    expect(screen.getByRole('img', { name: '4 completed, 1 failed' })).toBeInTheDocument();
    const widths = [...container.querySelectorAll('.bars__plot rect.chart__fill')].map((r) => r.getAttribute('width'));
    expect(widths).toEqual(['80', '20']);
    const rows = within(screen.getByRole('table', { hidden: true }))
      .getAllByRole('row', { hidden: true })
      .map((r) => r.textContent);
    expect(rows).toEqual(['StatusOrders', 'Completed4', 'Failed1', 'Paid0']);
  });
});
