import type { ParcelFieldsFragment } from '../gql/graphql';
import { SHIPMENT_STATUS } from './shipmentStatus';

/**
 * The parcels of an order, each on its own: where it ships from, what it
 * holds and where it stands. An order split across locations shows one per
 * location; each moves live with the order's events.
 */
export function Parcels({ shipments: parcels }: { shipments: readonly ParcelFieldsFragment[] }) {
  if (parcels.length === 0) return null;
  return (
    <section className="card" aria-labelledby="parcels-heading">
      <h2 id="parcels-heading">{parcels.length === 1 ? 'Parcel' : `Parcels (${parcels.length})`}</h2>
      <ol className="plain parcels">
        {parcels.map((p, i) => {
          const status = SHIPMENT_STATUS[p.status];
          const from = p.location?.name;
          const label = `Parcel ${i + 1} of ${parcels.length}${from ? ` from ${from}` : ''}`;
          return (
            <li key={p.id} className="parcel" aria-label={label}>
              <div className="parcel__head">
                <strong>{label}</strong>{' '}
                <span className={`badge badge--${status.tone}`} aria-label={`Parcel status: ${status.label}`}>
                  {status.label}
                </span>
              </div>
              <ul className="plain">
                {p.lines.map((l) => (
                  <li key={l.productId}>
                    {l.quantity} × {l.name}
                  </li>
                ))}
              </ul>
              {p.trackingNumber && (
                <p className="muted">
                  {p.carrier} · tracking {p.trackingNumber}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
