import type { DeclineReason, PaymentEntryKind, PaymentStatus, ReturnStatus } from '../gql/graphql';
import type { Tone } from '../orders/status';

interface Described {
  label: string;
  tone: Tone;
}

/** Every payment status, for people. A Record so a new status fails the type check until described. */
export const PAYMENT_STATUS: Record<PaymentStatus, Described & { meaning: string }> = {
  AUTHORIZED: { label: 'Authorized', tone: 'progress', meaning: 'The amount is held on your card; we charge it when your order ships.' },
  PARTIALLY_CAPTURED: { label: 'Partly charged', tone: 'progress', meaning: 'Part of the amount was charged as a parcel left; the rest is still held.' },
  CAPTURED: { label: 'Charged', tone: 'success', meaning: 'You were charged as your order shipped.' },
  CHARGED: { label: 'Charged', tone: 'success', meaning: 'You were charged in full.' },
  VOIDED: { label: 'Released', tone: 'neutral', meaning: 'The hold on your card was released; you were not charged.' },
  PARTIALLY_REFUNDED: { label: 'Partly refunded', tone: 'attention', meaning: 'Part of what you paid went back to you.' },
  REFUNDED: { label: 'Refunded', tone: 'attention', meaning: 'What you paid went back to you.' },
  DECLINED: { label: 'Declined', tone: 'danger', meaning: 'Your card was declined, so nothing was charged.' },
};

/** What each ledger row records, for people. */
export const ENTRY_KIND: Record<PaymentEntryKind, string> = {
  AUTHORIZATION: 'Authorized',
  CAPTURE: 'Charged',
  VOID: 'Released',
  REFUND: 'Refunded',
  DECLINE: 'Declined',
};

/** Why a card was declined, in plain words. */
export const DECLINE_REASON: Record<DeclineReason, string> = {
  INSUFFICIENT_FUNDS: 'insufficient funds',
  CARD_EXPIRED: 'the card has expired',
  FRAUD_SUSPECTED: 'the card issuer suspects fraud',
  DO_NOT_HONOR: 'declined by the card issuer',
  AUTHORIZATION_EXPIRED: 'the hold on the card lapsed',
  AMOUNT_NOT_AVAILABLE: 'the amount is not available',
};

/** Every return status, for people. */
export const RETURN_STATUS: Record<ReturnStatus, Described & { meaning: string }> = {
  REQUESTED: { label: 'Requested', tone: 'attention', meaning: 'We review your return shortly.' },
  APPROVED: { label: 'Approved', tone: 'progress', meaning: 'Send the parcel with the return label.' },
  IN_TRANSIT: { label: 'On its way', tone: 'progress', meaning: 'The carrier has your parcel.' },
  RECEIVED: { label: 'Received', tone: 'progress', meaning: 'Your parcel arrived; the refund is on its way.' },
  REFUNDED: { label: 'Refunded', tone: 'success', meaning: 'The returned items were refunded.' },
  REJECTED: { label: 'Rejected', tone: 'danger', meaning: 'We could not accept this return.' },
  CANCELLED: { label: 'Cancelled', tone: 'neutral', meaning: 'The return was called off.' },
};

/**
 * Parses an amount typed in major units ("12.5", "12.50", "1,000.00") into
 * minor units; null for anything that is not a positive amount with at most
 * two decimals. A comma only groups thousands: "12,5" is refused rather than
 * read as 125.
 */
export function parseAmount(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(\d+|\d{1,3}(,\d{3})+)(\.\d{1,2})?$/.test(trimmed)) return null;
  const clean = trimmed.replaceAll(',', '');
  const [whole = '0', fraction = ''] = clean.split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return cents > 0 && Number.isSafeInteger(cents) ? cents : null;
}
