package bench

// The GraphQL documents the benchmark sends are the web app's own (see
// frontend/src/*/operations.ts), fragments and all, so that the server does
// the work a browser would make it do.

const userErrorFields = `
fragment UserErrorFields on UserError { code message field }`

const cartFields = `
fragment CartFields on Cart {
  itemCount
  subtotal { amount currency formatted }
  lines { quantity unitPrice { formatted } lineTotal { formatted } product { id name stock imageUrl } }
}`

const addToCartMutation = `mutation AddToCart($input: AddToCartInput!) {
  addToCart(input: $input) { cart { ...CartFields } errors { ...UserErrorFields } }
}` + cartFields + userErrorFields

const placeOrderMutation = `mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) { created order { id } errors { ...UserErrorFields } }
}` + userErrorFields

const timelineEntryFields = `
fragment TimelineEntryFields on TimelineEntry { version kind status detail at }`

const orderLiveFields = `
fragment OrderLiveFields on Order {
  id status version createdAt updatedAt itemCount failureReason canCancel canChangeAddress workflowId
  subtotal { formatted } shippingCost { formatted } total { formatted }
  lines { productId name quantity unitPrice { formatted } lineTotal { formatted } }
  shippingAddress { name line1 line2 city postalCode country }
  payment { status amount { formatted } }
  paymentMethod { brand last4 }
  ledger {
    status authorized { formatted } captured { formatted } refunded { formatted } voided { formatted }
    balance { formatted } refundable { amount currency formatted } expiresAt
    entries { ...PaymentEntryFields }
  }
  returns { ...ReturnFields }
  returnsUntil
  returnableLines { productId quantity }
  shipments { id carrier trackingNumber status updatedAt location { id name country } lines { productId name quantity } }
}
fragment PaymentEntryFields on PaymentEntry {
  id kind amount { formatted } transactionId declineReason reason shipmentId returnId expiresAt at
}
fragment ReturnFields on Return {
  id status reason carrier trackingNumber note canCancel requestedAt updatedAt refund { formatted }
  lines { productId name quantity lineTotal { formatted } }
}`

const orderUpdatedSubscription = `subscription OrderUpdated($id: ID!) {
  orderUpdated(id: $id) { initial entry { ...TimelineEntryFields } order { ...OrderLiveFields } }
}` + orderLiveFields + timelineEntryFields

const productsQuery = `query Products($first: Int!, $after: String, $search: String, $category: String) {
  products(first: $first, after: $after, search: $search, category: $category) {
    totalCount
    edges { cursor node { ...ProductCardFields } }
    pageInfo { hasNextPage endCursor }
  }
}
fragment ProductCardFields on Product {
  id name category imageUrl stock inStock
  price { amount currency formatted }
}`

// catalogQuery reads every field of the catalog, to copy it into memory.
const catalogQuery = `{ products(first: 100) { edges { node {
  id sku name description category imageUrl stock price { amount currency } } } } }`

const registerMutation = `mutation($e: String!, $p: String!, $n: String!) {
  register(input: {email: $e, password: $p, name: $n}) { token errors { code message field } } }`

const loginMutation = `mutation($e: String!, $p: String!) {
  login(input: {email: $e, password: $p}) { token errors { code message field } } }`

const approvalSettingsMutation = `mutation($m: ApprovalMode!, $s: Int!) {
  updateApprovalSettings(input: {mode: $m, timeoutSeconds: $s}) { settings { approvalMode } errors { code message field } } }`

const approveMutation = `mutation($id: ID!) { approveOrder(input: {orderId: $id}) { errors { code message field } } }`

const locationsQuery = `{ locations { id } }`

const restockMutation = `mutation($p: ID!, $l: ID!, $q: Int!) {
  restock(input: {productId: $p, locationId: $l, quantity: $q}) { errors { code message field } } }`
