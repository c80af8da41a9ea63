import { graphql } from '../gql';

export const ProductCardFields = graphql(`
  fragment ProductCardFields on Product {
    id
    name
    category
    imageUrl
    stock
    inStock
    price {
      amount
      currency
      formatted
    }
  }
`);

export const ProductsQuery = graphql(`
  query Products($first: Int!, $after: String, $search: String, $category: String) {
    products(first: $first, after: $after, search: $search, category: $category) {
      totalCount
      edges {
        cursor
        node {
          ...ProductCardFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CategoriesQuery = graphql(`
  query Categories {
    categories
  }
`);

export const ProductQuery = graphql(`
  query Product($id: ID!) {
    product(id: $id) {
      ...ProductCardFields
      sku
      description
      ...AvailabilityFields
    }
  }
`);
