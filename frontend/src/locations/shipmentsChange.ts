/** Which parcels a cancel or an address change reached, as the API answers. */
export interface ShipmentsChangeValue {
  changed: readonly string[];
  dispatched: readonly string[];
}

const parcels = (n: number) => (n === 1 ? '1 parcel' : `${n} parcels`);

/**
 * Words a change that reached only some parcels (the others had left):
 * " 1 parcel cancelled; 1 parcel had already left." Nothing when every
 * parcel took it, or the order was not shipping yet.
 */
export function partly(change: ShipmentsChangeValue | null | undefined, done: string): string {
  if (!change || change.dispatched.length === 0) return '';
  return ` ${parcels(change.changed.length)} ${done}; ${parcels(change.dispatched.length)} had already left.`;
}
