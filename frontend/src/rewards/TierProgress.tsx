import { useId } from 'react';
import type { RewardsFieldsFragment } from '../gql/graphql';

type Props = Pick<RewardsFieldsFragment, 'points' | 'tier' | 'nextTier' | 'pointsToNextTier' | 'progress' | 'tiers'>;

const tierName = (t: string) => t.charAt(0) + t.slice(1).toLowerCase();

/** The tier ladder and the progress to the next tier, as the server computed them. */
export function TierProgress({ points, tier, nextTier, pointsToNextTier, progress, tiers }: Props) {
  const headingId = useId();
  const percent = Math.round(Math.min(Math.max(progress, 0), 1) * 100);
  return (
    <section className="tier" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {tierName(tier)} tier · {points.toLocaleString()} points
      </h2>
      {nextTier ? (
        <>
          <progress className="tier__bar" max={100} value={percent} aria-label={`Progress to ${tierName(nextTier.tier)}`}>
            {percent}%
          </progress>
          <p>
            {pointsToNextTier.toLocaleString()} more points to {tierName(nextTier.tier)} (at{' '}
            {nextTier.points.toLocaleString()}).
          </p>
        </>
      ) : (
        <p>You reached the top tier. Thank you!</p>
      )}
      <ol className="tier__ladder" aria-label="Tiers">
        {tiers.map((t) => (
          <li key={t.tier} aria-current={t.tier === tier ? 'step' : undefined} className="tier__step">
            <span className="tier__name">{tierName(t.tier)}</span>
            <span className="tier__points">from {t.points.toLocaleString()} pts</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
