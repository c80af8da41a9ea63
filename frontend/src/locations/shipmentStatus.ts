import type { ShipmentStatus } from '../gql/graphql';

/** How a parcel's status reads. A Record so a new status fails the type check until worded. */
export const SHIPMENT_STATUS: Record<ShipmentStatus, { label: string; tone: 'progress' | 'success' | 'neutral' | 'danger' }> = {
  PENDING: { label: 'Being prepared', tone: 'progress' },
  LABEL_CREATED: { label: 'Label created', tone: 'progress' },
  PICKUP_SCHEDULED: { label: 'Pickup scheduled', tone: 'progress' },
  DISPATCHED: { label: 'Dispatched', tone: 'progress' },
  IN_TRANSIT: { label: 'In transit', tone: 'progress' },
  DELIVERED: { label: 'Delivered', tone: 'success' },
  CANCELLED: { label: 'Cancelled', tone: 'neutral' },
  FAILED: { label: 'Could not be sent', tone: 'danger' },
};
