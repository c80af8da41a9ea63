import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { AddToCart } from '../cart/AddToCart';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import type { ProductCardFieldsFragment } from '../gql/graphql';
import { CategoriesQuery, ProductsQuery } from './operations';

const PAGE_SIZE = 12;
const SEARCH_DELAY_MS = 300;

interface Filter {
  search: string;
  category: string;
}

function variablesFor(filter: Filter, after: string | null) {
  return {
    first: PAGE_SIZE,
    after,
    search: filter.search || null,
    category: filter.category || null,
  };
}

export function ProductCard({ product }: { product: ProductCardFieldsFragment }) {
  const headingId = useId();
  return (
    <li className="card product" aria-labelledby={headingId}>
      <div className="product__image">
        {product.imageUrl && <img src={product.imageUrl} alt="" loading="lazy" width={320} height={200} />}
      </div>
      <h2 id={headingId} className="product__name">
        <Link to={`/products/${encodeURIComponent(product.id)}`}>{product.name}</Link>
      </h2>
      <p className="product__meta">
        <span className="price">{product.price.formatted}</span>
        <span className="muted">{product.category}</span>
      </p>
      <p className={product.inStock ? 'muted' : 'stock--out'}>
        {product.inStock ? `${product.stock} in stock` : 'Out of stock'}
      </p>
      <AddToCart productId={product.id} productName={product.name} inStock={product.inStock} />
    </li>
  );
}

/** The products of one page of the connection, as list items of the catalog's list. */
function ProductPageItems({ filter, after }: { filter: Filter; after: string | null }) {
  const [{ data }] = useQuery({ query: ProductsQuery, variables: variablesFor(filter, after) });
  return data?.products.edges.map((edge) => <ProductCard key={edge.node.id} product={edge.node} />);
}

/**
 * The state of the last page loaded: loading, error, empty, or a "load more"
 * button. It reads the same query as that page's items, which urql serves
 * from one request.
 */
function PageStatus({ filter, after, onMore }: { filter: Filter; after: string | null; onMore: (cursor: string) => void }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ProductsQuery, variables: variablesFor(filter, after) });
  if (error) {
    return (
      <>
        <ErrorMessage error={error} />
        <button type="button" className="button" onClick={() => refetch({ requestPolicy: 'network-only' })}>
          Try again
        </button>
      </>
    );
  }
  if (!data) return fetching ? <Loading label="Loading products…" /> : null;
  const { pageInfo, totalCount } = data.products;
  if (totalCount === 0) {
    return (
      <EmptyState title="No products match">
        <p>Try another search or category.</p>
      </EmptyState>
    );
  }
  return (
    <div className="more">
      <p className="muted">
        {totalCount} {totalCount === 1 ? 'product' : 'products'}
      </p>
      {pageInfo.hasNextPage && pageInfo.endCursor && (
        <button type="button" className="button" onClick={() => onMore(pageInfo.endCursor ?? '')}>
          Load more
        </button>
      )}
    </div>
  );
}

function ProductResults({ filter }: { filter: Filter }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const last = cursors.at(-1) ?? null;
  return (
    <>
      <ul className="products" aria-label="Products">
        {cursors.map((after) => (
          <ProductPageItems key={after ?? ''} filter={filter} after={after} />
        ))}
      </ul>
      <PageStatus key={last ?? ''} filter={filter} after={last} onMore={(c) => setCursors((cs) => [...cs, c])} />
    </>
  );
}

function CategorySelect({ value, onChange }: { value: string; onChange: (category: string) => void }) {
  const [{ data }] = useQuery({ query: CategoriesQuery, requestPolicy: 'cache-first' });
  return (
    <div className="field">
      <label htmlFor="category">Category</label>
      <select id="category" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All categories</option>
        {data?.categories.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The URL's query with the filter changed: empty values leave the URL. */
export function withFilter(params: URLSearchParams, next: Partial<Filter>): URLSearchParams {
  const result = new URLSearchParams(params);
  const keys = { search: 'q', category: 'category' } as const;
  for (const field of ['search', 'category'] as const) {
    const value = next[field];
    if (value === undefined) continue;
    if (value) result.set(keys[field], value);
    else result.delete(keys[field]);
  }
  return result;
}

/** The catalog: search as you type, filter by category, load more. The filter lives in the URL. */
export function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const filter: Filter = { search: params.get('q') ?? '', category: params.get('category') ?? '' };
  const [draft, setDraft] = useState(filter.search);

  // setParams sees the params of the render that made it, so both the
  // callback and the pending search below are remade whenever they change.
  const update = (next: Partial<Filter>) => setParams(withFilter(params, next), { replace: true });

  useEffect(() => {
    const search = draft.trim();
    if (search === filter.search) return;
    const timer = setTimeout(() => setParams(withFilter(params, { search }), { replace: true }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, filter.search, params, setParams]);

  return (
    <>
      <PageHeading title="Catalog">Catalog</PageHeading>
      <form
        role="search"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          update({ search: draft.trim() });
        }}
      >
        <div className="field field--grow">
          <label htmlFor="search">Search products</label>
          <input id="search" type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </div>
        <CategorySelect value={filter.category} onChange={(category) => update({ category })} />
      </form>
      <ProductResults key={`${filter.search}\u0000${filter.category}`} filter={filter} />
    </>
  );
}
