import type { OrderFilter, OrderSort, OrderStatus } from '../../gql/graphql';
import { STATUS_INFO } from '../../orders/status';

/** The sorts the table offers, by the name the URL keeps. */
export const SORTS = {
  'created-desc': { label: 'Newest first', sort: { field: 'CREATED_AT', direction: 'DESC' } },
  'created-asc': { label: 'Oldest first', sort: { field: 'CREATED_AT', direction: 'ASC' } },
  'total-desc': { label: 'Total, highest first', sort: { field: 'TOTAL', direction: 'DESC' } },
  'total-asc': { label: 'Total, lowest first', sort: { field: 'TOTAL', direction: 'ASC' } },
  'status-asc': { label: 'Status, A to Z', sort: { field: 'STATUS', direction: 'ASC' } },
  'status-desc': { label: 'Status, Z to A', sort: { field: 'STATUS', direction: 'DESC' } },
} as const satisfies Record<string, { label: string; sort: OrderSort }>;

export type SortName = keyof typeof SORTS;

/** Rows per page the table offers; the first is the default. */
export const PAGE_SIZES = [25, 10, 50] as const;

/** What the table shows, as kept in the URL's query string (so a view can be shared and reloaded). */
export interface TableState {
  search: string;
  status: OrderStatus | null;
  sort: SortName;
  pageSize: number;
}

function isStatus(s: string | null): s is OrderStatus {
  return s !== null && Object.hasOwn(STATUS_INFO, s);
}

function isSort(s: string | null): s is SortName {
  return s !== null && Object.hasOwn(SORTS, s);
}

/** Reads the table's state from the query string; anything unknown is the default. */
export function readState(params: URLSearchParams): TableState {
  const status = params.get('status');
  const sort = params.get('sort');
  const size = Number(params.get('size'));
  return {
    search: params.get('q') ?? '',
    status: isStatus(status) ? status : null,
    sort: isSort(sort) ? sort : 'created-desc',
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : PAGE_SIZES[0],
  };
}

/** Writes the table's state into a query string, leaving defaults out. */
export function writeState(state: TableState, into: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const set = (key: string, value: string | null, fallback: string | null) => {
    if (value === null || value === fallback || value === '') into.delete(key);
    else into.set(key, value);
  };
  set('q', state.search.trim(), '');
  set('status', state.status, null);
  set('sort', state.sort, 'created-desc');
  set('size', String(state.pageSize), String(PAGE_SIZES[0]));
  return into;
}

/**
 * What the search box asks the server for: text with an @ is a customer's
 * e-mail address, anything else an order ID. The server looks an ID up
 * exactly and an e-mail's customer first, so neither is a scan of text.
 */
export function searchFilter(search: string): Pick<OrderFilter, 'orderId' | 'customerEmail'> {
  const q = search.trim();
  if (q === '') return {};
  return q.includes('@') ? { customerEmail: q } : { orderId: q };
}

/** The orders query's filter for the state. */
export function filterOf(state: TableState): OrderFilter {
  return { ...searchFilter(state.search), ...(state.status ? { statuses: [state.status] } : {}) };
}

/** How a column header reports the sort (aria-sort), for the columns that sort. */
export function ariaSort(sort: SortName, field: OrderSort['field']): 'ascending' | 'descending' | undefined {
  const s = SORTS[sort].sort;
  if (s.field !== field) return undefined;
  return s.direction === 'ASC' ? 'ascending' : 'descending';
}
