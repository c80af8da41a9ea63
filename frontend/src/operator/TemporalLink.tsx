/** The link to an order's workflow in the Temporal Web UI, when one is configured. */
export function TemporalLink({ order }: { order: { id: string; temporalUrl?: string | null } }) {
  if (!order.temporalUrl) return null;
  return (
    <a href={order.temporalUrl} target="_blank" rel="noreferrer" aria-label={`Workflow of order ${order.id} in the Temporal UI`}>
      Temporal UI
    </a>
  );
}
