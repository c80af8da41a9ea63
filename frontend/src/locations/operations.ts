import { graphql } from '../gql';

/** One parcel of an order: where it ships from, what it holds, where it stands. */
export const ParcelFields = graphql(`
  fragment ParcelFields on Shipment {
    id
    carrier
    trackingNumber
    status
    updatedAt
    location {
      id
      name
      country
    }
    lines {
      productId
      name
      quantity
    }
  }
`);

/** A product's units at each location. */
export const AvailabilityFields = graphql(`
  fragment AvailabilityFields on Product {
    availability {
      available
      low
      location {
        id
        name
        country
      }
    }
  }
`);

/** The operators' stock view: every location, every product's units there, and what is low. */
export const StockQuery = graphql(`
  query Stock {
    locations {
      id
      name
      country
    }
    products(first: 100) {
      edges {
        node {
          id
          name
          sku
          stock
          ...AvailabilityFields
        }
      }
    }
    lowStock {
      available
      product {
        id
        name
      }
      location {
        id
        name
      }
    }
  }
`);

export const RestockMutation = graphql(`
  mutation Restock($input: RestockInput!) {
    restock(input: $input) {
      product {
        id
        stock
        ...AvailabilityFields
      }
      errors {
        code
        message
        field
      }
    }
  }
`);
