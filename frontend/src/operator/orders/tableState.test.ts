import { describe, expect, it } from 'vitest';
import { withLive } from './OrdersTable';
import { ariaSort, filterOf, readState, searchFilter, writeState } from './tableState';

describe('searchFilter', () => {
  it.each([
    ['', {}],
    ['   ', {}],
    ['ord_abc', { orderId: 'ord_abc' }],
    ['  ord_abc ', { orderId: 'ord_abc' }],
    ['Ada@Example.com', { customerEmail: 'Ada@Example.com' }],
    ['ada@', { customerEmail: 'ada@' }],
  ])('%j asks for %j', (q, filter) => expect(searchFilter(q)).toEqual(filter));
});

describe('table state in the URL', () => {
  it('reads the defaults from nothing and from nonsense', () => {
    const defaults = { search: '', status: null, sort: 'created-desc', pageSize: 25 };
    expect(readState(new URLSearchParams())).toEqual(defaults);
    expect(readState(new URLSearchParams('status=LOST&sort=colour&size=7'))).toEqual(defaults);
  });

  it('round-trips, keeping defaults and other parameters out of its way', () => {
    const state = { search: 'ada@example.com', status: 'PAID' as const, sort: 'total-asc' as const, pageSize: 10 };
    const params = writeState(state, new URLSearchParams('tab=x&status=FAILED'));
    expect(params.toString()).toBe('tab=x&status=PAID&q=ada%40example.com&sort=total-asc&size=10');
    expect(readState(params)).toEqual(state);
    expect(writeState({ search: ' ', status: null, sort: 'created-desc', pageSize: 25 }).toString()).toBe('');
  });

  it('builds the filter', () => {
    expect(filterOf({ search: 'ord_1', status: 'FAILED', sort: 'created-desc', pageSize: 25 })).toEqual({ orderId: 'ord_1', statuses: ['FAILED'] });
    expect(filterOf({ search: '', status: null, sort: 'created-desc', pageSize: 25 })).toEqual({});
  });

  it('reports the sort on its column only', () => {
    expect(ariaSort('total-asc', 'TOTAL')).toBe('ascending');
    expect(ariaSort('created-desc', 'CREATED_AT')).toBe('descending');
    expect(ariaSort('created-desc', 'TOTAL')).toBeUndefined();
  });
});

describe('withLive', () => {
  const row = (id: string, version: number, status: 'PAID' | 'SHIPPED' | 'COMPLETED') => ({ id, version, status });
  it('updates the rows on the page to their newest version, and adds none', () => {
    const rows = [row('a', 3, 'PAID'), row('b', 5, 'SHIPPED')];
    const live = [row('a', 4, 'SHIPPED'), row('a', 6, 'COMPLETED'), row('a', 5, 'SHIPPED'), row('b', 4, 'PAID'), row('c', 1, 'PAID')];
    expect(withLive(rows, live)).toEqual([row('a', 6, 'COMPLETED'), row('b', 5, 'SHIPPED')]);
  });
});
