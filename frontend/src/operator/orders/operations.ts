import { graphql } from '../../gql';

/** One page of the operators' orders table. */
export const OrdersTableQuery = graphql(`
  query OrdersTable($first: Int!, $after: String, $filter: OrderFilter, $orderBy: OrderSort) {
    orders(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
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
