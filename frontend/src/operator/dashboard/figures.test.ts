import { describe, expect, it } from 'vitest';
import { formatSeconds, minuteLabel, perMinuteSummary, statusSummary } from './figures';

describe('formatSeconds', () => {
  it.each([
    [null, '—'],
    [undefined, '—'],
    [0, '0.0 s'],
    [3.24, '3.2 s'],
    [9.96, '10.0 s'],
    [42.4, '42 s'],
    [59.6, '1 min 00 s'],
    [245, '4 min 05 s'],
    [3725, '1 h 02 min'],
  ])('%s s reads %s', (s, text) => expect(formatSeconds(s)).toBe(text));
});

describe('statusSummary', () => {
  it('names the statuses that hold orders', () =>
    expect(
      statusSummary([
        { status: 'AWAITING_APPROVAL', count: 2 },
        { status: 'COMPLETED', count: 5 },
        { status: 'FAILED', count: 0 },
      ]),
    ).toBe('Orders by status now, 7 in all: 2 awaiting approval, 5 completed; none in the other statuses.'));
  it('says when there is nothing', () => expect(statusSummary([{ status: 'PAID', count: 0 }])).toBe('Orders by status now: no orders yet.'));
});

describe('perMinuteSummary', () => {
  const minutes = [
    { start: '2026-01-01T10:00:00Z', completed: 1, failed: 0 },
    { start: '2026-01-01T10:01:00Z', completed: 2, failed: 1 },
    { start: '2026-01-01T10:02:00Z', completed: 0, failed: 0 },
  ];
  const series = [
    { key: 'completed', label: 'Completed' },
    { key: 'failed', label: 'Failed' },
  ];
  it('gives the totals and the busiest minute', () =>
    expect(perMinuteSummary('Orders ended', minutes, series, 60)).toBe(
      `Orders ended per minute over the last 60 minutes: 3 completed, 1 failed; at most 3 in one minute, at ${minuteLabel('2026-01-01T10:01:00Z')}.`,
    ));
  it('says none', () =>
    expect(perMinuteSummary('Retries', [minutes[2]!], [series[0]!], 15)).toBe('Retries per minute over the last 15 minutes: none.'));
});
