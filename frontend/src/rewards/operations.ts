import { graphql } from '../gql';

export const RewardsFields = graphql(`
  fragment RewardsFields on Rewards {
    customerId
    points
    tier
    pointsToNextTier
    progress
    version
    workflowId
    workflowRunning
    updatedAt
    nextTier {
      tier
      points
    }
    tiers {
      tier
      points
    }
  }
`);

export const RewardsQuery = graphql(`
  query Rewards {
    rewards {
      ...RewardsFields
    }
  }
`);

export const RewardsUpdatedSubscription = graphql(`
  subscription RewardsUpdated {
    rewardsUpdated {
      ...RewardsFields
    }
  }
`);
