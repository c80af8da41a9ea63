import type { CartFieldsFragment } from '../gql/graphql';

/** The server's totals of a cart. Shipping is added when the order is placed. */
export function CartTotals({ cart }: { cart: Pick<CartFieldsFragment, 'itemCount' | 'subtotal'> }) {
  return (
    <dl className="totals" aria-label="Cart totals">
      <div>
        <dt>Items</dt>
        <dd>{cart.itemCount}</dd>
      </div>
      <div className="totals__sum">
        <dt>Subtotal</dt>
        <dd>{cart.subtotal.formatted}</dd>
      </div>
      <div className="muted">
        <dt>Shipping</dt>
        <dd>added when you place the order</dd>
      </div>
    </dl>
  );
}
