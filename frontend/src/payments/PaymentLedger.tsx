import { Time } from '../components/Time';
import type { OrderFieldsFragment } from '../gql/graphql';
import { DECLINE_REASON, ENTRY_KIND, PAYMENT_STATUS } from './paymentStatus';

type Ledger = NonNullable<OrderFieldsFragment['ledger']>;

/** The order's money: where the payment stands, its figures and every movement. */
export function PaymentLedger({ ledger, method }: { ledger: Ledger; method: OrderFieldsFragment['paymentMethod'] }) {
  const status = PAYMENT_STATUS[ledger.status];
  return (
    <section className="card ledger" aria-labelledby="payment-heading">
      <div className="section-head">
        <h2 id="payment-heading">Payment</h2>
        <span className={`badge badge--${status.tone}`} aria-label={`Payment status: ${status.label}`}>
          {status.label}
        </span>
      </div>
      <p className="muted">
        {status.meaning}
        {method && ` Paid with ${method.brand} •••• ${method.last4}.`}
      </p>
      <dl className="totals" aria-label="Payment figures">
        <div>
          <dt>Held on the card</dt>
          <dd>{ledger.authorized.formatted}</dd>
        </div>
        <div>
          <dt>Charged</dt>
          <dd>{ledger.captured.formatted}</dd>
        </div>
        <div>
          <dt>Refunded</dt>
          <dd>{ledger.refunded.formatted}</dd>
        </div>
        <div className="totals__sum">
          <dt>Paid, net</dt>
          <dd>{ledger.balance.formatted}</dd>
        </div>
      </dl>
      {ledger.expiresAt && (
        <p className="muted">
          The hold lasts until <Time value={ledger.expiresAt} />; it is renewed before then if needed.
        </p>
      )}
      <h3>Movements</h3>
      <ol className="plain ledger__entries" aria-label="Payment ledger">
        {ledger.entries.map((e) => (
          <li key={e.id} className={`ledger__entry ledger__entry--${e.kind.toLowerCase()}`}>
            <span>
              <strong>{ENTRY_KIND[e.kind]}</strong> {e.amount.formatted}
              {e.declineReason && <> — {DECLINE_REASON[e.declineReason]}</>}
              {e.reason && <> — {e.reason}</>}
            </span>
            <span className="muted">
              <Time value={e.at} short />
              {e.transactionId && (
                <>
                  {' '}
                  · <code>{e.transactionId}</code>
                </>
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
