import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import type { OrderStatus, OrdersTableQuery as Result } from '../../gql/graphql';
import { STATUS_INFO } from '../../orders/status';
import { TemporalLink } from '../TemporalLink';
import { OrdersTableQuery } from './operations';
import { ariaSort, filterOf, PAGE_SIZES, readState, SORTS, writeState, type SortName, type TableState } from './tableState';
import './orders-table.css';

type Row = Result['orders']['edges'][number]['node'];

/** An order as the console's live feed (ordersUpdated) delivers it. */
export interface LiveRow {
  id: string;
  version: number;
  status: OrderStatus;
}

/**
 * Puts the live state of the orders on the page into their rows (the newer
 * version wins). Orders are not added or moved: the page stays the page the
 * operator asked for, and Refresh reads it again in its sort.
 */
export function withLive<R extends LiveRow>(rows: readonly R[], live: readonly R[]): R[] {
  const newest = new Map<string, R>();
  for (const o of live) {
    const seen = newest.get(o.id);
    if (!seen || seen.version <= o.version) newest.set(o.id, o);
  }
  return rows.map((r) => {
    const l = newest.get(r.id);
    return l && l.version > r.version ? { ...r, ...l } : r;
  });
}

function Toolbar({ state, onChange }: { state: TableState; onChange: (next: TableState) => void }) {
  const [search, setSearch] = useState(state.search);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange({ ...state, search });
  };
  return (
    <div className="orders-table__toolbar">
      <form role="search" aria-label="Search orders" className="orders-table__search" onSubmit={submit}>
        <div className="field field--grow">
          <label htmlFor="orders-search">Order ID or customer e-mail</label>
          <input id="orders-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="ord_… or name@example.com" />
        </div>
        <button type="submit" className="button">
          Search
        </button>
        {state.search && (
          <button
            type="button"
            className="button button--quiet"
            onClick={() => {
              setSearch('');
              onChange({ ...state, search: '' });
            }}
          >
            Clear search
          </button>
        )}
      </form>
      <div className="field">
        <label htmlFor="orders-status">Status</label>
        <select
          id="orders-status"
          value={state.status ?? ''}
          onChange={(e) => onChange({ ...state, status: (e.target.value || null) as OrderStatus | null })}
        >
          <option value="">All statuses</option>
          {(Object.keys(STATUS_INFO) as OrderStatus[]).map((s) => (
            <option key={s} value={s}>
              {STATUS_INFO[s].label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="orders-sort">Sort</label>
        <select id="orders-sort" value={state.sort} onChange={(e) => onChange({ ...state, sort: e.target.value as SortName })}>
          {(Object.keys(SORTS) as SortName[]).map((s) => (
            <option key={s} value={s}>
              {SORTS[s].label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="orders-size">Rows</label>
        <select id="orders-size" value={state.pageSize} onChange={(e) => onChange({ ...state, pageSize: Number(e.target.value) })}>
          {[...PAGE_SIZES].sort((a, b) => a - b).map((n) => (
            <option key={n} value={n}>
              {n} per page
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

const placed = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** When an order was placed, to the minute (the second is in the title). */
function Placed({ at }: { at: string }) {
  const date = new Date(at);
  return (
    <time dateTime={at} title={exact.format(date)}>
      {placed.format(date)}
    </time>
  );
}

function Rows({ rows, sort }: { rows: readonly Row[]; sort: SortName }) {
  return (
    <table className="orders-table">
      <caption className="visually-hidden">Orders, {SORTS[sort].label.toLowerCase()}</caption>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Customer</th>
          <th scope="col" aria-sort={ariaSort(sort, 'STATUS')}>
            Status
          </th>
          <th scope="col" className="orders-table__num">
            Items
          </th>
          <th scope="col" className="orders-table__num" aria-sort={ariaSort(sort, 'TOTAL')}>
            Total
          </th>
          <th scope="col" aria-sort={ariaSort(sort, 'CREATED_AT')}>
            Placed
          </th>
          <th scope="col">Workflow</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((o) => (
          <tr key={o.id}>
            <td data-label="Order" className="orders-table__id">
              <Link to={`/orders/${encodeURIComponent(o.id)}`}>{o.id}</Link>
            </td>
            <td data-label="Customer">
              <div>
                <span className="orders-table__name">{o.customer.name}</span>
                <span className="muted orders-table__email">{o.customer.email}</span>
              </div>
            </td>
            <td data-label="Status">
              <StatusBadge status={o.status} />
            </td>
            <td data-label="Items" className="orders-table__num">
              {o.itemCount}
            </td>
            <td data-label="Total" className="orders-table__num">
              {o.total.formatted}
            </td>
            <td data-label="Placed">
              <Placed at={o.createdAt} />
            </td>
            <td data-label="Workflow">
              <TemporalLink order={o} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Every order as a dense table for operators: search by order ID or
 * customer e-mail, a status filter, sorts and pages (the orders query's
 * Relay connection, first/after). Its state lives in the URL; a change of
 * filter or sort starts again at the first page. At phone width each row
 * is a compact card (orders-table.css), so the page never scrolls sideways.
 */
export function OrdersTable({ live = [] }: { live?: readonly Row[] }) {
  const [params, setParams] = useSearchParams();
  const state = readState(params);
  // The cursors of the pages before this one (forward-only connection):
  // Previous page goes back through them.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors.at(-1) ?? null;
  const [{ data, fetching, error }, refresh] = useQuery({
    query: OrdersTableQuery,
    variables: { first: state.pageSize, after, filter: filterOf(state), orderBy: SORTS[state.sort].sort },
  });
  const change = (next: TableState) => {
    setCursors([null]);
    setParams(writeState(next, new URLSearchParams(params)), { replace: true });
  };
  const page = data?.orders;
  const rows = withLive(page?.edges.map((e) => e.node) ?? [], live);
  const from = (cursors.length - 1) * state.pageSize + 1;
  return (
    <section className="card orders-table__card" aria-labelledby="all-heading">
      <div className="section-head">
        <h2 id="all-heading">All orders</h2>
        <button type="button" className="button button--quiet" disabled={fetching} onClick={() => refresh({ requestPolicy: 'network-only' })}>
          Refresh
        </button>
      </div>
      <Toolbar key={state.search} state={state} onChange={change} />
      <ErrorMessage error={error} />
      {!page && fetching && <Loading label="Loading orders…" />}
      {page && (
        <p className="muted orders-table__count" aria-live="polite">
          {page.totalCount === 0
            ? 'No orders match.'
            : `Orders ${from}–${from + rows.length - 1} of ${page.totalCount}`}
        </p>
      )}
      {page && rows.length === 0 && <EmptyState title={state.search || state.status ? 'No orders match the search.' : 'No orders yet.'} />}
      {rows.length > 0 && <Rows rows={rows} sort={state.sort} />}
      {page && (cursors.length > 1 || page.pageInfo.hasNextPage) && (
        <nav aria-label="Pages of orders" className="orders-table__pages">
          <button type="button" className="button" disabled={cursors.length <= 1 || fetching} onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous page
          </button>
          <span>Page {cursors.length}</span>
          <button
            type="button"
            className="button"
            disabled={!page.pageInfo.hasNextPage || fetching}
            onClick={() => setCursors((c) => [...c, page.pageInfo.endCursor ?? null])}
          >
            Next page
          </button>
        </nav>
      )}
    </section>
  );
}
