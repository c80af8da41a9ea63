import { useQuery, useSubscription } from 'urql';
import { ErrorMessage, Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import type { RewardsFieldsFragment } from '../gql/graphql';
import { RewardsQuery, RewardsUpdatedSubscription } from './operations';
import { TierProgress } from './TierProgress';

/** The newer of two snapshots of a rewards balance. */
export function newerRewards(a: RewardsFieldsFragment | undefined, b: RewardsFieldsFragment | undefined) {
  if (!a) return b;
  if (!b) return a;
  return b.version >= a.version ? b : a;
}

/** Points, tier and progress, live through rewardsUpdated. */
export function RewardsPage() {
  const [{ data, fetching, error }] = useQuery({ query: RewardsQuery });
  const [live] = useSubscription({ query: RewardsUpdatedSubscription }, (_prev: RewardsFieldsFragment | undefined, event) => event.rewardsUpdated);
  const rewards = newerRewards(data?.rewards, live.data);

  return (
    <>
      <PageHeading title="Rewards">Rewards</PageHeading>
      <ErrorMessage error={error ?? live.error} />
      {!rewards && fetching && <Loading label="Loading your rewards…" />}
      {rewards && (
        <div className="card">
          <TierProgress {...rewards} />
          <p className="muted">
            You earn one point per whole dollar of every completed order.{' '}
            {rewards.workflowRunning
              ? 'Your rewards workflow is running.'
              : 'Your rewards workflow is closed; your next order starts it again and keeps your points.'}
          </p>
        </div>
      )}
    </>
  );
}
