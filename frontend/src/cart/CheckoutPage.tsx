import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { AddressFields, EMPTY_ADDRESS, toAddressInput, type AddressValue } from '../components/AddressFields';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { PlaceOrderMutation } from '../orders/operations';
import { CartTotals } from './CartTotals';
import { CartQuery } from './operations';

/**
 * The payment sandbox's test cards (paysim.TestCards on the server): each
 * number has a known outcome, so the checkout can show declines and
 * re-authorizations on purpose.
 */
export const TEST_CARDS = [
  { number: '4242 4242 4242 4242', outcome: 'approved' },
  { number: '4000 0000 0000 9995', outcome: 'declined: insufficient funds' },
  { number: '4000 0000 0000 0069', outcome: 'declined: card expired' },
  { number: '4100 0000 0000 0019', outcome: 'declined: fraud suspected' },
  { number: '4000 0000 0000 0002', outcome: 'declined by the issuer' },
  { number: '4000 0000 0000 0341', outcome: 'approved; its re-authorization is declined' },
] as const;

function CardFields({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string | undefined }) {
  const numberId = useId();
  const testId = useId();
  const errorId = useId();
  return (
    <fieldset className="card stack" aria-label="Payment">
      <legend>Payment</legend>
      <div className="field">
        <label htmlFor={testId}>Test card</label>
        <select id={testId} value={TEST_CARDS.some((c) => c.number === value) ? value : ''} onChange={(e) => onChange(e.target.value)}>
          <option value="">Type a card number</option>
          {TEST_CARDS.map((c) => (
            <option key={c.number} value={c.number}>
              {c.number} — {c.outcome}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={numberId}>Card number</label>
        <input
          id={numberId}
          inputMode="numeric"
          autoComplete="cc-number"
          required
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {error && (
          <p id={errorId} className="field__error">
            {error}
          </p>
        )}
      </div>
      <p className="muted">We hold the total on your card now and charge it when your order ships.</p>
    </fieldset>
  );
}

/** A fresh key per checkout: a double submit (or a retry after a lost response) places one order. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function CheckoutPage() {
  const [{ data, fetching, error }] = useQuery({ query: CartQuery });
  const [address, setAddress] = useState<AddressValue>(EMPTY_ADDRESS);
  const [cardNumber, setCardNumber] = useState<string>(TEST_CARDS[0].number);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [placing, placeOrder] = useMutation(PlaceOrderMutation);
  const navigate = useNavigate();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Placing an order empties the cart: refetch every query that shows it.
    const result = await placeOrder(
      { input: { shippingAddress: toAddressInput(address), idempotencyKey, paymentMethod: { cardNumber } } },
      { additionalTypenames: ['Cart'] },
    );
    const order = result.data?.placeOrder.order;
    if (order) void navigate(`/orders/${encodeURIComponent(order.id)}`);
  };

  if (error) return <ErrorMessage error={error} />;
  if (!data) return fetching ? <Loading /> : null;
  const userErrors = placing.data?.placeOrder.errors ?? [];
  return (
    <>
      <PageHeading title="Checkout">Checkout</PageHeading>
      {data.cart.lines.length === 0 && !placing.fetching ? (
        <EmptyState title="Your cart is empty">
          <Link to="/">Browse the catalog</Link>
        </EmptyState>
      ) : (
        <form className="checkout" onSubmit={submit} aria-label="Checkout">
          <div className="stack">
            <AddressFields value={address} onChange={setAddress} errors={userErrors} />
            <CardFields
              value={cardNumber}
              onChange={setCardNumber}
              error={userErrors.find((e) => e.field === 'input.paymentMethod.cardNumber')?.message}
            />
          </div>
          <aside className="card checkout__summary" aria-label="Order summary">
            <ul className="plain">
              {data.cart.lines.map((l) => (
                <li key={l.product.id}>
                  {l.quantity} × {l.product.name} <span className="muted">{l.lineTotal.formatted}</span>
                </li>
              ))}
            </ul>
            <CartTotals cart={data.cart} />
            <ErrorMessage
              error={placing.error}
              errors={userErrors.filter((e) => !e.field?.includes('shippingAddress.') && !e.field?.includes('paymentMethod.'))}
            />
            <button type="submit" className="button button--primary" disabled={placing.fetching}>
              {placing.fetching ? 'Placing order…' : 'Place order'}
            </button>
          </aside>
        </form>
      )}
    </>
  );
}
