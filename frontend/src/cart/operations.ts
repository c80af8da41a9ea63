import { graphql } from '../gql';

export const CartFields = graphql(`
  fragment CartFields on Cart {
    itemCount
    subtotal {
      amount
      currency
      formatted
    }
    lines {
      quantity
      unitPrice {
        formatted
      }
      lineTotal {
        formatted
      }
      product {
        id
        name
        stock
        imageUrl
      }
    }
  }
`);

export const CartQuery = graphql(`
  query Cart {
    cart {
      ...CartFields
    }
  }
`);

export const CartCountQuery = graphql(`
  query CartCount {
    cart {
      itemCount
    }
  }
`);

export const AddToCartMutation = graphql(`
  mutation AddToCart($input: AddToCartInput!) {
    addToCart(input: $input) {
      cart {
        ...CartFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const UpdateCartLineMutation = graphql(`
  mutation UpdateCartLine($input: UpdateCartLineInput!) {
    updateCartLine(input: $input) {
      cart {
        ...CartFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const RemoveCartLineMutation = graphql(`
  mutation RemoveCartLine($input: RemoveCartLineInput!) {
    removeCartLine(input: $input) {
      cart {
        ...CartFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const ClearCartMutation = graphql(`
  mutation ClearCart {
    clearCart {
      cart {
        ...CartFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);
