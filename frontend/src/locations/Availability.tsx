import type { AvailabilityFieldsFragment } from '../gql/graphql';

/** A product's units at each stock location, as the product page shows them. */
export function Availability({ product: { availability } }: { product: AvailabilityFieldsFragment }) {
  if (availability.length === 0) return null;
  return (
    <section aria-labelledby="availability-heading">
      <h2 id="availability-heading">Availability</h2>
      <ul className="plain availability">
        {availability.map((a) => (
          <li key={a.location.id}>
            <span>{a.location.name}</span>{' '}
            <span className={a.available === 0 ? 'muted' : a.low ? 'badge badge--attention' : ''}>
              {a.available === 0 ? 'none' : a.low ? `only ${a.available} left` : `${a.available} in stock`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
