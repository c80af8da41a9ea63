import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { AddressFields, EMPTY_ADDRESS, toAddressInput, type AddressValue } from '../components/AddressFields';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { PlaceOrderMutation } from '../orders/operations';
import { CartTotals } from './CartTotals';
import { CartQuery } from './operations';

/** A fresh key per checkout: a double submit (or a retry after a lost response) places one order. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function CheckoutPage() {
  const [{ data, fetching, error }] = useQuery({ query: CartQuery });
  const [address, setAddress] = useState<AddressValue>(EMPTY_ADDRESS);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [placing, placeOrder] = useMutation(PlaceOrderMutation);
  const navigate = useNavigate();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Placing an order empties the cart: refetch every query that shows it.
    const result = await placeOrder(
      { input: { shippingAddress: toAddressInput(address), idempotencyKey } },
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
          <AddressFields value={address} onChange={setAddress} errors={userErrors} />
          <aside className="card checkout__summary" aria-label="Order summary">
            <ul className="plain">
              {data.cart.lines.map((l) => (
                <li key={l.product.id}>
                  {l.quantity} × {l.product.name} <span className="muted">{l.lineTotal.formatted}</span>
                </li>
              ))}
            </ul>
            <CartTotals cart={data.cart} />
            <ErrorMessage error={placing.error} errors={userErrors.filter((e) => !e.field?.includes('shippingAddress.'))} />
            <button type="submit" className="button button--primary" disabled={placing.fetching}>
              {placing.fetching ? 'Placing order…' : 'Place order'}
            </button>
          </aside>
        </form>
      )}
    </>
  );
}
