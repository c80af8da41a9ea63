import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useMutation } from 'urql';
import { useSession } from '../auth/session';
import { ErrorMessage } from '../components/Feedback';
import { AddToCartMutation } from './operations';

/** Adds a product to the cart; anonymous visitors are offered to sign in first. */
export function AddToCart({
  productId,
  productName,
  inStock,
  quantity = 1,
}: {
  productId: string;
  productName: string;
  inStock: boolean;
  quantity?: number;
}) {
  const { session } = useSession();
  const location = useLocation();
  const [{ fetching, data, error }, add] = useMutation(AddToCartMutation);
  const [added, setAdded] = useState(false);

  if (!session) {
    return (
      <Link className="button button--quiet" to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}>
        Sign in to buy
      </Link>
    );
  }
  const errors = data?.addToCart.errors;
  return (
    <div className="add-to-cart">
      <button
        type="button"
        className="button"
        disabled={!inStock || fetching}
        aria-label={`Add to cart: ${productName}`}
        onClick={async () => {
          setAdded(false);
          const result = await add({ input: { productId, quantity } });
          setAdded(!result.error && result.data?.addToCart.errors.length === 0);
        }}
      >
        {inStock ? (fetching ? 'Adding…' : 'Add to cart') : 'Out of stock'}
      </button>
      <span role="status" className="add-to-cart__status">
        {added ? 'Added to cart' : ''}
      </span>
      <ErrorMessage error={error} errors={errors} />
    </div>
  );
}
