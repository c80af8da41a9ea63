import type { OrderStatus } from '../gql/graphql';

/** How a status reads at a glance: its badge colour. */
export type Tone = 'progress' | 'attention' | 'success' | 'danger' | 'neutral';

interface StatusInfo {
  label: string;
  tone: Tone;
  /** What the status means for the customer, in plain words. */
  meaning: string;
}

/** Every status, described for people. A Record so a new status fails the type check until described. */
export const STATUS_INFO: Record<OrderStatus, StatusInfo> = {
  RECEIVED: { label: 'Received', tone: 'progress', meaning: 'We have your order and started processing it.' },
  VALIDATED: { label: 'Validated', tone: 'progress', meaning: 'The order was checked and is good to go.' },
  INVENTORY_RESERVED: {
    label: 'Items reserved',
    tone: 'progress',
    meaning: 'Your items are set aside for you, so nobody else can buy them.',
  },
  AWAITING_APPROVAL: {
    label: 'Awaiting approval',
    tone: 'attention',
    meaning: 'A person checks this order before we take your payment. This usually happens for large orders.',
  },
  APPROVED: { label: 'Approved', tone: 'progress', meaning: 'The order was approved.' },
  PAYMENT_AUTHORIZED: {
    label: 'Payment authorized',
    tone: 'progress',
    meaning: 'The total is held on your card; you are charged when your order ships.',
  },
  PAID: { label: 'Paid', tone: 'progress', meaning: 'Your payment was taken, exactly once.' },
  SHIPPING: { label: 'Shipping', tone: 'progress', meaning: 'Labels are printed and a pickup is arranged.' },
  PARTIALLY_SHIPPED: {
    label: 'Partly shipped',
    tone: 'progress',
    meaning: 'Some of your parcels are with the carrier; the others are still being prepared.',
  },
  SHIPPED: {
    label: 'Shipped',
    tone: 'progress',
    meaning: 'The parcels are with the carrier; the order can no longer be cancelled.',
  },
  PARTIALLY_DELIVERED: {
    label: 'Partly delivered',
    tone: 'progress',
    meaning: 'Some of your parcels arrived; the others are on their way.',
  },
  DELIVERED: { label: 'Delivered', tone: 'success', meaning: 'The parcels arrived.' },
  COMPLETED: { label: 'Completed', tone: 'success', meaning: 'All done: delivered, notified and rewarded.' },
  REFUNDED: { label: 'Refunded', tone: 'attention', meaning: 'Your payment went back to you in full.' },
  CANCELLED: { label: 'Cancelled', tone: 'neutral', meaning: 'The order was cancelled; nothing was kept.' },
  FAILED: {
    label: 'Failed',
    tone: 'danger',
    meaning: 'A step failed for good. Everything already done was undone.',
  },
};
