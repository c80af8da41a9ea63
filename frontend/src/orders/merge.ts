/**
 * Client-side merging of live order updates. The server numbers every order
 * change (version 1, 2, 3, … one per timeline entry) and may deliver a change
 * twice or late (a reconnect replays the current state; a query can race a
 * subscription), so every merge keeps the highest version and the union of
 * the timeline entries, never going backwards.
 */

interface Versioned {
  version: number;
}

interface WithTimeline<E extends Versioned> extends Versioned {
  timeline: readonly E[];
}

/** Returns the union of two timelines, one entry per version, oldest first. */
export function mergeTimelines<E extends Versioned>(a: readonly E[], b: readonly E[]): E[] {
  const byVersion = new Map<number, E>();
  for (const e of a) byVersion.set(e.version, e);
  for (const e of b) byVersion.set(e.version, e);
  return [...byVersion.values()].sort((x, y) => x.version - y.version);
}

/**
 * Merges an incoming snapshot of an order into the one shown: the fields of
 * the newer snapshot (the incoming one on a tie, since it was read later) and
 * every timeline entry either has seen.
 */
export function mergeOrder<E extends Versioned, O extends WithTimeline<E>>(current: O | undefined, incoming: O): O {
  if (!current) return { ...incoming, timeline: mergeTimelines([], incoming.timeline) };
  const newer = incoming.version >= current.version ? incoming : current;
  return { ...newer, timeline: mergeTimelines(current.timeline, incoming.timeline) };
}

/**
 * An orderUpdated event: the order as of one timeline entry (its fields
 * without the timeline), and that entry.
 */
export interface OrderEventLike<E extends Versioned, L extends Versioned> {
  order: L;
  entry: E;
}

/** Applies one orderUpdated event to the order shown. */
export function applyOrderEvent<E extends Versioned, L extends Versioned>(
  current: (L & { timeline: E[] }) | undefined,
  event: OrderEventLike<E, L>,
): L & { timeline: E[] } {
  return mergeOrder<E, L & { timeline: E[] }>(current, { ...event.order, timeline: [event.entry] });
}

/**
 * Reports whether the timeline shown lacks an entry the order has: events
 * carry one entry each, so one missed (the subscription started after the
 * page's query read the order, or reconnected) shows as a gap in the
 * versions, and the page reads the order again.
 */
export function hasGap<E extends Versioned>(o: WithTimeline<E>): boolean {
  return o.timeline.length !== o.version || o.timeline.some((e, i) => e.version !== i + 1);
}

interface ListedOrder extends Versioned {
  id: string;
  createdAt: string;
}

/**
 * Puts an order's latest state into a list, newest order first: it replaces
 * an older state of the same order, is ignored if the list already has a newer
 * one, and leaves (or never enters) the list when `keep` rejects it, as an
 * approved order leaves the approval queue.
 */
export function upsertOrder<O extends ListedOrder>(
  list: readonly O[],
  order: O,
  keep: (o: O) => boolean = () => true,
): O[] {
  const existing = list.find((o) => o.id === order.id);
  if (existing && existing.version > order.version) return [...list];
  const rest = list.filter((o) => o.id !== order.id);
  if (!keep(order)) return rest;
  return [...rest, order].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/** Lays live updates over a queried list: see upsertOrder. */
export function mergeOrderLists<O extends ListedOrder>(
  base: readonly O[],
  live: readonly O[],
  keep: (o: O) => boolean = () => true,
): O[] {
  const kept = base.filter(keep);
  return live.reduce<O[]>((list, o) => upsertOrder(list, o, keep), kept);
}
