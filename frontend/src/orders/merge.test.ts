import { describe, expect, it } from 'vitest';
import { entry, order } from '../test/fixtures';
import { applyOrderEvent, hasGap, mergeOrder, mergeOrderLists, mergeTimelines, upsertOrder } from './merge';

const versions = (o: { timeline: { version: number }[] }) => o.timeline.map((e) => e.version);

describe('mergeTimelines', () => {
  it('keeps one entry per version, oldest first', () => {
    const merged = mergeTimelines([entry(3), entry(1)], [entry(2), entry(3), entry(4)]);
    expect(merged.map((e) => e.version)).toEqual([1, 2, 3, 4]);
  });
});

describe('applyOrderEvent', () => {
  const v1 = order([entry(1)]);
  const v2 = order([entry(1), entry(2, { status: 'VALIDATED' })]);
  const v3 = order([entry(1), entry(2, { status: 'VALIDATED' }), entry(3, { status: 'INVENTORY_RESERVED' })]);
  // An event brings the order's fields without its timeline, and one entry.
  const ev = (o: ReturnType<typeof order>) => {
    const { timeline, ...fields } = o;
    return { order: fields, entry: timeline.at(-1) ?? entry(1) };
  };

  it('appends each new entry to the order shown and moves the status on', () => {
    const shown = [v2, v3].reduce<ReturnType<typeof order>>((s, o) => applyOrderEvent(s, ev(o)), v1);
    expect(shown.status).toBe('INVENTORY_RESERVED');
    expect(shown.version).toBe(3);
    expect(versions(shown)).toEqual([1, 2, 3]);
  });

  it('ignores a repeated or late event: the order never goes back', () => {
    let shown = applyOrderEvent(v1, ev(v3));
    shown = applyOrderEvent(shown, ev(v3));
    shown = applyOrderEvent(shown, ev(v2));
    expect(shown.status).toBe('INVENTORY_RESERVED');
    expect(versions(shown)).toEqual([1, 2, 3]);
  });

  it('starts from the first event when nothing is shown yet', () => {
    const shown = applyOrderEvent(undefined, ev(v3));
    expect(shown.status).toBe('INVENTORY_RESERVED');
    expect(versions(shown)).toEqual([3]);
  });
});

describe('hasGap', () => {
  it('tells a complete timeline from one missing an entry', () => {
    expect(hasGap(order([entry(1), entry(2)], { version: 2 }))).toBe(false);
    expect(hasGap(order([entry(1), entry(3)], { version: 3 }))).toBe(true);
    expect(hasGap(order([entry(3)], { version: 3 }))).toBe(true);
    expect(hasGap(order([entry(1)], { version: 2 }))).toBe(true);
  });
});

describe('mergeOrder', () => {
  it('keeps the newer snapshot when a query answer races the subscription', () => {
    const live = order([entry(1), entry(2, { status: 'PAID' })], { canCancel: false });
    const queried = order([entry(1)], { canCancel: true });
    const merged = mergeOrder(queried, live);
    expect(merged.status).toBe('PAID');
    expect(merged.canCancel).toBe(false);
    expect(mergeOrder(live, queried).status).toBe('PAID');
  });
});

describe('upsertOrder', () => {
  const row = (id: string, version: number, createdAt: string, status = 'RECEIVED') => ({ id, version, createdAt, status });

  it('puts a new order first and replaces an older state of a known one', () => {
    const list = [row('a', 1, '2026-01-01T10:00:00Z')];
    const withB = upsertOrder(list, row('b', 1, '2026-01-01T11:00:00Z'));
    expect(withB.map((o) => o.id)).toEqual(['b', 'a']);
    const updated = upsertOrder(withB, row('a', 2, '2026-01-01T10:00:00Z', 'PAID'));
    expect(updated.map((o) => [o.id, o.status])).toEqual([
      ['b', 'RECEIVED'],
      ['a', 'PAID'],
    ]);
  });

  it('ignores an older state', () => {
    const list = [row('a', 5, '2026-01-01T10:00:00Z', 'PAID')];
    expect(upsertOrder(list, row('a', 4, '2026-01-01T10:00:00Z'))[0]?.status).toBe('PAID');
  });

  it('drops an order that no longer matches, as an approved order leaves the queue', () => {
    const awaiting = (o: { status: string }) => o.status === 'AWAITING_APPROVAL';
    const queue = [row('a', 3, '2026-01-01T10:00:00Z', 'AWAITING_APPROVAL')];
    expect(upsertOrder(queue, row('a', 4, '2026-01-01T10:00:00Z', 'APPROVED'), awaiting)).toEqual([]);
  });
});

describe('mergeOrderLists', () => {
  it('lays live updates over the queried list and filters both', () => {
    const awaiting = (o: { status: string }) => o.status === 'AWAITING_APPROVAL';
    const base = [
      { id: 'a', version: 3, createdAt: '2026-01-01T10:00:00Z', status: 'AWAITING_APPROVAL' },
      { id: 'b', version: 3, createdAt: '2026-01-01T09:00:00Z', status: 'AWAITING_APPROVAL' },
    ];
    const live = [
      { id: 'a', version: 4, createdAt: '2026-01-01T10:00:00Z', status: 'APPROVED' },
      { id: 'c', version: 3, createdAt: '2026-01-01T11:00:00Z', status: 'AWAITING_APPROVAL' },
      { id: 'd', version: 2, createdAt: '2026-01-01T12:00:00Z', status: 'VALIDATED' },
    ];
    expect(mergeOrderLists(base, live, awaiting).map((o) => o.id)).toEqual(['c', 'b']);
  });
});
