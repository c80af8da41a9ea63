import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { AddToCart } from '../cart/AddToCart';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { Availability } from '../locations/Availability';
import { ProductQuery } from './operations';

const MAX_QUANTITY = 99;

export function ProductPage() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: ProductQuery, variables: { id } });
  const [quantity, setQuantity] = useState(1);
  const quantityId = useId();

  if (error) return <ErrorMessage error={error} />;
  if (!data) return fetching ? <Loading /> : null;
  const product = data.product;
  if (!product) {
    return (
      <EmptyState title="This product does not exist">
        <Link to="/">Back to the catalog</Link>
      </EmptyState>
    );
  }
  const max = Math.max(1, Math.min(MAX_QUANTITY, product.stock));
  return (
    <article className="product-detail">
      <div className="product-detail__image">
        {product.imageUrl && <img src={product.imageUrl} alt="" width={640} height={400} />}
      </div>
      <div className="product-detail__body">
        <PageHeading title={product.name}>{product.name}</PageHeading>
        <p className="price price--large">{product.price.formatted}</p>
        <p>{product.description}</p>
        <Availability product={product} />
        <dl className="facts">
          <dt>Category</dt>
          <dd>{product.category}</dd>
          <dt>SKU</dt>
          <dd>{product.sku}</dd>
          <dt>Availability</dt>
          <dd>{product.inStock ? `${product.stock} in stock` : 'Out of stock'}</dd>
        </dl>
        <div className="field field--inline">
          <label htmlFor={quantityId}>Quantity</label>
          <input
            id={quantityId}
            type="number"
            min={1}
            max={max}
            value={quantity}
            onChange={(e) => setQuantity(Math.min(max, Math.max(1, Math.trunc(Number(e.target.value)) || 1)))}
          />
        </div>
        <AddToCart productId={product.id} productName={product.name} inStock={product.inStock} quantity={quantity} />
        <p>
          <Link to="/">Back to the catalog</Link>
        </p>
      </div>
    </article>
  );
}
