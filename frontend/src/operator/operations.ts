import { graphql } from '../gql';

/** What only operators may read about an order. */
export const OrderOperatorQuery = graphql(`
  query OrderOperator($id: ID!) {
    order(id: $id) {
      id
      temporalUrl
      customer {
        id
        name
        email
      }
      canRefund
      workflowState {
        status
        canCancel
        canChangeAddress
        approvalDeadline
        pendingFailures {
          step
          mode
        }
      }
    }
  }
`);

export const OrdersUpdatedSubscription = graphql(`
  subscription OrdersUpdated {
    ordersUpdated {
      ...OrderSummaryFields
      temporalUrl
    }
  }
`);

export const OperatorOrdersQuery = graphql(`
  query OperatorOrders($first: Int!, $after: String, $filter: OrderFilter) {
    orders(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        node {
          ...OrderSummaryFields
          temporalUrl
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ApproveOrderMutation = graphql(`
  mutation ApproveOrder($input: ApproveOrderInput!) {
    approveOrder(input: $input) {
      order {
        ...OrderSummaryFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const RejectOrderMutation = graphql(`
  mutation RejectOrder($input: RejectOrderInput!) {
    rejectOrder(input: $input) {
      order {
        ...OrderSummaryFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const SimulateFailureMutation = graphql(`
  mutation SimulateFailure($input: SimulateFailureInput!) {
    simulateFailure(input: $input) {
      order {
        id
        workflowState {
          pendingFailures {
            step
            mode
          }
        }
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const SettingsFields = graphql(`
  fragment SettingsFields on Settings {
    approvalMode
    approvalTimeoutSeconds
    updatedAt
    approvalThreshold {
      amount
      currency
      formatted
    }
    failureRates {
      step
      failureProbability
      latencyProbability
      latencyMs
    }
  }
`);

export const SettingsQuery = graphql(`
  query Settings {
    settings {
      ...SettingsFields
    }
  }
`);

export const SetFailureRatesMutation = graphql(`
  mutation SetFailureRates($input: SetFailureRatesInput!) {
    setFailureRates(input: $input) {
      settings {
        ...SettingsFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const UpdateApprovalSettingsMutation = graphql(`
  mutation UpdateApprovalSettings($input: UpdateApprovalSettingsInput!) {
    updateApprovalSettings(input: $input) {
      settings {
        ...SettingsFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const OperatorRewardsQuery = graphql(`
  query OperatorRewards($customerId: ID!) {
    rewards(customerId: $customerId) {
      ...RewardsFields
      temporalUrl
    }
  }
`);

export const CloseRewardsMutation = graphql(`
  mutation CloseRewards($input: CloseRewardsInput!) {
    closeRewards(input: $input) {
      rewards {
        ...RewardsFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

/** The returns queue: orders with a return waiting for a decision. */
export const ReturnsQueueQuery = graphql(`
  query ReturnsQueue($first: Int!) {
    orders(first: $first, filter: { returnStatuses: [REQUESTED] }) {
      totalCount
      edges {
        node {
          ...OrderSummaryFields
          returns {
            id
            status
            reason
            requestedAt
            lines {
              productId
              name
              quantity
            }
          }
        }
      }
    }
  }
`);

export const RefundOrderMutation = graphql(`
  mutation RefundOrder($input: RefundOrderInput!) {
    refundOrder(input: $input) {
      order {
        ...OrderFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const ApproveReturnMutation = graphql(`
  mutation ApproveReturn($input: ApproveReturnInput!) {
    approveReturn(input: $input) {
      order {
        ...OrderFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const RejectReturnMutation = graphql(`
  mutation RejectReturn($input: RejectReturnInput!) {
    rejectReturn(input: $input) {
      order {
        ...OrderFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const MarkReturnReceivedMutation = graphql(`
  mutation MarkReturnReceived($input: MarkReturnReceivedInput!) {
    markReturnReceived(input: $input) {
      order {
        ...OrderFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);
