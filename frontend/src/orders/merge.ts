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

/** An orderUpdated event: the order as of one timeline entry, and that entry. */
export interface OrderEventLike<E extends Versioned, O extends WithTimeline<E>> {
  order: O;
  entry: E;
}

/** Applies one orderUpdated event to the order shown. */
export function applyOrderEvent<E extends Versioned, O extends WithTimeline<E>>(
  current: O | undefined,
  event: OrderEventLike<E, O>,
): O {
  const incoming = { ...event.order, timeline: mergeTimelines(event.order.timeline, [event.entry]) };
  return mergeOrder(current, incoming);
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
