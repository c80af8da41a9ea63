import { graphql } from '../gql';

export const TimelineEntryFields = graphql(`
  fragment TimelineEntryFields on TimelineEntry {
    version
    kind
    status
    detail
    at
  }
`);

/** A row of the payment ledger. */
export const PaymentEntryFields = graphql(`
  fragment PaymentEntryFields on PaymentEntry {
    id
    kind
    amount {
      formatted
    }
    transactionId
    declineReason
    reason
    shipmentId
    returnId
    expiresAt
    at
  }
`);

/** A return, as the order page shows it. */
export const ReturnFields = graphql(`
  fragment ReturnFields on Return {
    id
    status
    reason
    carrier
    trackingNumber
    note
    canCancel
    requestedAt
    updatedAt
    refund {
      formatted
    }
    lines {
      productId
      name
      quantity
      lineTotal {
        formatted
      }
    }
  }
`);

/**
 * What the customer's order page shows of an order beside its timeline; the
 * same fields arrive with every live event, with the one new entry (never the
 * whole timeline again, which would make an order's events cost the square
 * of its length).
 */
export const OrderLiveFields = graphql(`
  fragment OrderLiveFields on Order {
    id
    status
    version
    createdAt
    updatedAt
    itemCount
    failureReason
    canCancel
    canChangeAddress
    workflowId
    subtotal {
      formatted
    }
    shippingCost {
      formatted
    }
    total {
      formatted
    }
    lines {
      productId
      name
      quantity
      unitPrice {
        formatted
      }
      lineTotal {
        formatted
      }
    }
    shippingAddress {
      name
      line1
      line2
      city
      postalCode
      country
    }
    payment {
      status
      amount {
        formatted
      }
    }
    paymentMethod {
      brand
      last4
    }
    ledger {
      status
      authorized {
        formatted
      }
      captured {
        formatted
      }
      refunded {
        formatted
      }
      voided {
        formatted
      }
      balance {
        formatted
      }
      refundable {
        amount
        currency
        formatted
      }
      expiresAt
      entries {
        ...PaymentEntryFields
      }
    }
    returns {
      ...ReturnFields
    }
    returnsUntil
    returnableLines {
      productId
      quantity
    }
    shipments {
      ...ParcelFields
    }
  }
`);

/** What the customer's order page shows: the live fields and the whole timeline. */
export const OrderFields = graphql(`
  fragment OrderFields on Order {
    ...OrderLiveFields
    timeline {
      ...TimelineEntryFields
    }
  }
`);

/** A row of an order list. */
export const OrderSummaryFields = graphql(`
  fragment OrderSummaryFields on Order {
    id
    status
    version
    createdAt
    itemCount
    total {
      formatted
    }
    customer {
      id
      name
      email
    }
  }
`);

export const OrderQuery = graphql(`
  query Order($id: ID!) {
    order(id: $id) {
      ...OrderFields
    }
  }
`);

export const OrderUpdatedSubscription = graphql(`
  subscription OrderUpdated($id: ID!) {
    orderUpdated(id: $id) {
      initial
      entry {
        ...TimelineEntryFields
      }
      order {
        ...OrderLiveFields
      }
    }
  }
`);

export const OrdersQuery = graphql(`
  query Orders($first: Int!, $after: String, $filter: OrderFilter) {
    orders(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        node {
          ...OrderSummaryFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const MyOrdersUpdatedSubscription = graphql(`
  subscription MyOrdersUpdated {
    myOrdersUpdated {
      ...OrderSummaryFields
    }
  }
`);

export const PlaceOrderMutation = graphql(`
  mutation PlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      created
      order {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const CancelOrderMutation = graphql(`
  mutation CancelOrder($input: CancelOrderInput!) {
    cancelOrder(input: $input) {
      order {
        ...OrderFields
      }
      shipments {
        changed
        dispatched
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const UpdateShippingAddressMutation = graphql(`
  mutation UpdateShippingAddress($input: UpdateShippingAddressInput!) {
    updateShippingAddress(input: $input) {
      order {
        ...OrderFields
      }
      shipments {
        changed
        dispatched
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const RequestReturnMutation = graphql(`
  mutation RequestReturn($input: RequestReturnInput!) {
    requestReturn(input: $input) {
      return {
        id
      }
      order {
        ...OrderFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const CancelReturnMutation = graphql(`
  mutation CancelReturn($input: CancelReturnInput!) {
    cancelReturn(input: $input) {
      order {
        ...OrderFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);
