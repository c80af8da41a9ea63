import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import type { CartFieldsFragment } from '../gql/graphql';
import { CartTotals } from './CartTotals';
import { CartQuery, ClearCartMutation, RemoveCartLineMutation, UpdateCartLineMutation } from './operations';

type Line = CartFieldsFragment['lines'][number];

function CartLineRow({ line }: { line: Line }) {
  const [update, setQuantity] = useMutation(UpdateCartLineMutation);
  const [remove, removeLine] = useMutation(RemoveCartLineMutation);
  const busy = update.fetching || remove.fetching;
  const { product } = line;
  const change = (quantity: number) => setQuantity({ input: { productId: product.id, quantity } });
  return (
    <li className="cart-line">
      <div className="cart-line__name">
        <Link to={`/products/${encodeURIComponent(product.id)}`}>{product.name}</Link>
        <span className="muted">{line.unitPrice.formatted} each</span>
      </div>
      <div className="stepper" role="group" aria-label={`Quantity of ${product.name}`}>
        <button
          type="button"
          className="button button--icon"
          aria-label={`Decrease quantity of ${product.name}`}
          disabled={busy || line.quantity <= 1}
          onClick={() => change(line.quantity - 1)}
        >
          −
        </button>
        <output aria-live="polite" aria-label={`Quantity of ${product.name}`}>
          {line.quantity}
        </output>
        <button
          type="button"
          className="button button--icon"
          aria-label={`Increase quantity of ${product.name}`}
          disabled={busy || line.quantity >= 99}
          onClick={() => change(line.quantity + 1)}
        >
          +
        </button>
      </div>
      <span className="cart-line__total">{line.lineTotal.formatted}</span>
      <button
        type="button"
        className="button button--quiet"
        disabled={busy}
        aria-label={`Remove ${product.name}`}
        onClick={() => removeLine({ input: { productId: product.id } })}
      >
        Remove
      </button>
      <div className="cart-line__errors">
        <ErrorMessage error={update.error ?? remove.error} errors={[...(update.data?.updateCartLine.errors ?? []), ...(remove.data?.removeCartLine.errors ?? [])]} />
      </div>
    </li>
  );
}

export function CartPage() {
  const [{ data, fetching, error }] = useQuery({ query: CartQuery });
  const [clear, clearCart] = useMutation(ClearCartMutation);

  return (
    <>
      <PageHeading title="Cart">Your cart</PageHeading>
      {error && <ErrorMessage error={error} />}
      {!data && fetching && <Loading label="Loading your cart…" />}
      {data && data.cart.lines.length === 0 && (
        <EmptyState title="Your cart is empty">
          <Link to="/">Browse the catalog</Link>
        </EmptyState>
      )}
      {data && data.cart.lines.length > 0 && (
        <div className="cart">
          <ul className="cart__lines" aria-label="Cart lines">
            {data.cart.lines.map((line) => (
              <CartLineRow key={line.product.id} line={line} />
            ))}
          </ul>
          <aside className="card cart__summary" aria-label="Summary">
            <CartTotals cart={data.cart} />
            <ErrorMessage error={clear.error} errors={clear.data?.clearCart.errors} />
            <Link className="button button--primary" to="/checkout">
              Checkout
            </Link>
            <button type="button" className="button button--quiet" disabled={clear.fetching} onClick={() => clearCart({})}>
              Clear cart
            </button>
          </aside>
        </div>
      )}
    </>
  );
}
