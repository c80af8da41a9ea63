import { graphql } from '../gql';

export const NotificationsQuery = graphql(`
  query Notifications($first: Int!, $after: String) {
    notifications(first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          title
          body
          read
          createdAt
          order {
            id
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const MarkNotificationsReadMutation = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      ids
      errors {
        ...UserErrorFields
      }
    }
  }
`);
