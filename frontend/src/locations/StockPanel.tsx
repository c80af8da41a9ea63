import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorMessage, Loading } from '../components/Feedback';
import type { StockQuery as StockData } from '../gql/graphql';
import { RestockMutation, StockQuery } from './operations';

type Products = StockData['products']['edges'][number]['node'][];
type Locations = StockData['locations'];

/** The operator's restock form: a delivery of a product at a location. */
export function RestockForm({ products, locations }: { products: Products; locations: Locations }) {
  const id = useId();
  const [productId, setProductId] = useState(products[0]?.id ?? '');
  const [locationId, setLocationId] = useState(locations[0]?.id ?? '');
  const [quantity, setQuantity] = useState('10');
  const [result, restock] = useMutation(RestockMutation);
  const done = result.data?.restock.errors.length === 0 ? result.data.restock.product : null;
  return (
    <form
      className="inline-form"
      aria-label="Restock"
      onSubmit={(e) => {
        e.preventDefault();
        void restock({ input: { productId, locationId, quantity: Number(quantity) } }, { additionalTypenames: ['Product'] });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-product`}>Product</label>
        <select id={`${id}-product`} value={productId} onChange={(e) => setProductId(e.target.value)}>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-location`}>Location</label>
        <select id={`${id}-location`} value={locationId} onChange={(e) => setLocationId(e.target.value)}>
          {locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-quantity`}>Units</label>
        <input id={`${id}-quantity`} type="number" min={1} max={10000} required value={quantity} onChange={(e) => setQuantity(e.target.value)} />
      </div>
      <button type="submit" className="button" disabled={result.fetching}>
        Restock
      </button>
      <ErrorMessage error={result.error} errors={result.data?.restock.errors} />
      {done && (
        <p role="status">
          Restocked: {done.stock} in stock in all
        </p>
      )}
    </form>
  );
}

/** Stock by location, what runs low, and the restock form: the operator's inventory view. */
export function StockPanel() {
  const id = useId();
  const [{ data, fetching, error }] = useQuery({ query: StockQuery });
  const products = data?.products.edges.map((e) => e.node) ?? [];
  const locations = data?.locations ?? [];
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Stock by location</h2>
      <ErrorMessage error={error} />
      {!data && fetching && <Loading />}
      {data && (
        <>
          <RestockForm products={products} locations={locations} />
          <h3>Low stock</h3>
          {data.lowStock.length === 0 ? (
            <p className="muted">Nothing runs low.</p>
          ) : (
            <ul className="plain" aria-label="Low stock">
              {data.lowStock.map((l) => (
                <li key={`${l.location.id}:${l.product.id}`}>
                  {l.product.name} at {l.location.name}: {l.available === 0 ? 'none left' : `${l.available} left`}
                </li>
              ))}
            </ul>
          )}
          {/* Focusable, so that keyboard users can scroll a table wider than the screen. */}
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Units by product and location">
            <table className="stock-table">
              <caption className="visually-hidden">Units in stock by product and location</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  {locations.map((l) => (
                    <th key={l.id} scope="col">
                      {l.name}
                    </th>
                  ))}
                  <th scope="col">All</th>
                </tr>
              </thead>
              <tbody>
                {products.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">{p.name}</th>
                    {p.availability.map((a) => (
                      <td key={a.location.id} className={a.low ? 'stock-table__low' : undefined}>
                        {a.available}
                      </td>
                    ))}
                    <td>{p.stock}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
