import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OperationsDashboardQuery } from '../../gql/graphql';
import { data, mockClient } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { DashboardPage, REFRESH_MS } from './DashboardPage';

type Dashboard = OperationsDashboardQuery['operationsDashboard'];

function dashboard(over: Partial<Dashboard> = {}): Dashboard {
  const from = Date.UTC(2026, 0, 1, 11, 1);
  return {
    generatedAt: '2026-01-01T12:00:30.000Z',
    windowMinutes: 60,
    from: new Date(from).toISOString(),
    to: '2026-01-01T12:01:00.000Z',
    ordersRead: 4,
    partial: false,
    ordersByStatus: [
      { status: 'AWAITING_APPROVAL', count: 1 },
      { status: 'COMPLETED', count: 3 },
      { status: 'FAILED', count: 1 },
    ],
    minutes: Array.from({ length: 60 }, (_, i) => ({
      start: new Date(from + i * 60_000).toISOString(),
      completed: i === 10 ? 2 : i === 50 ? 1 : 0,
      failed: i === 50 ? 1 : 0,
      cancelled: 0,
      retries: i === 10 ? 2 : 0,
      compensations: i === 50 ? 1 : 0,
    })),
    totals: { completed: 3, failed: 1, cancelled: 0, retries: 2, compensations: 1, refunds: 0, stockReleases: 1, otherCompensations: 0 },
    timeToComplete: { count: 3, p50Seconds: 12.5, p95Seconds: 75, maxSeconds: 75 },
    ...over,
  };
}

function tile(name: string) {
  const list = screen.getByRole('region', { name: 'Totals of the last 60 minutes' });
  const term = within(list).getByText(name, { selector: 'dt' });
  return term.nextElementSibling?.querySelector('.tile__value')?.textContent;
}

describe('DashboardPage', () => {
  beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
  afterEach(() => vi.useRealTimers());

  it('shows the totals, the charts with their summaries and the numbers', async () => {
    const { client } = mockClient({ OperationsDashboard: data({ operationsDashboard: dashboard() }) });
    renderPage(<DashboardPage />, { client });
    expect(await screen.findByRole('heading', { level: 1, name: 'Operations dashboard' })).toBeInTheDocument();
    expect(tile('Completed')).toBe('3');
    expect(tile('Retries')).toBe('2');
    expect(tile('Compensations')).toBe('1');
    expect(tile('Time to complete, p50')).toBe('13 s');
    expect(tile('Time to complete, p95')).toBe('1 min 15 s');
    expect(screen.getByRole('img', { name: /^Orders by status now, 5 in all: 1 awaiting approval, 3 completed, 1 failed/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /^Orders ended per minute over the last 60 minutes: 3 completed, 1 failed; at most 2/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /^Retries and compensations per minute over the last 60 minutes: 2 retries, 1 compensations/ })).toBeInTheDocument();
    const ended = screen.getByRole('table', { name: /^Orders ended per minute/, hidden: true });
    expect(within(ended).getAllByRole('row', { hidden: true }).at(-1)?.textContent).toBe('Total310');
  });

  it(`asks again every ${REFRESH_MS / 1000} s, past the cache, and for the window chosen`, async () => {
    const { client, spies } = mockClient({ OperationsDashboard: data({ operationsDashboard: dashboard() }) });
    renderPage(<DashboardPage />, { client });
    await screen.findByRole('heading', { level: 1, name: 'Operations dashboard' });
    const before = spies.executeQuery.mock.calls.length;
    await act(() => vi.advanceTimersByTimeAsync(REFRESH_MS));
    expect(spies.executeQuery.mock.calls.length).toBeGreaterThan(before);
    expect(spies.executeQuery.mock.calls.at(-1)?.[1]).toMatchObject({ requestPolicy: 'network-only' });

    fireEvent.change(screen.getByLabelText('Window'), { target: { value: '15' } });
    expect(spies.executeQuery.mock.calls.at(-1)?.[0].variables).toEqual({ windowMinutes: 15 });
  });

  it('says when the figures are partial', async () => {
    const { client } = mockClient({ OperationsDashboard: data({ operationsDashboard: dashboard({ partial: true, ordersRead: 5000 }) }) });
    renderPage(<DashboardPage />, { client });
    expect(await screen.findByText(/cover the 5000 changed last/)).toBeInTheDocument();
  });
});
