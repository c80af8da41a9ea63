import { graphql } from '../../gql';

/** Everything the operations dashboard draws, over the last windowMinutes minutes. */
export const OperationsDashboardQuery = graphql(`
  query OperationsDashboard($windowMinutes: Int) {
    operationsDashboard(windowMinutes: $windowMinutes) {
      generatedAt
      windowMinutes
      from
      to
      ordersRead
      partial
      ordersByStatus {
        status
        count
      }
      minutes {
        start
        completed
        failed
        cancelled
        retries
        compensations
      }
      totals {
        completed
        failed
        cancelled
        retries
        compensations
        refunds
        stockReleases
        otherCompensations
      }
      timeToComplete {
        count
        p50Seconds
        p95Seconds
        maxSeconds
      }
    }
  }
`);
