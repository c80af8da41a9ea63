/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment UserErrorFields on UserError {\n    code\n    message\n    field\n  }\n": typeof types.UserErrorFieldsFragmentDoc,
    "\n  query Me {\n    me {\n      id\n      name\n      email\n      role\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      token\n      expiresAt\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n      expiresAt\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation Logout {\n    logout {\n      revoked\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.LogoutDocument,
    "\n  fragment CartFields on Cart {\n    itemCount\n    subtotal {\n      amount\n      currency\n      formatted\n    }\n    lines {\n      quantity\n      unitPrice {\n        formatted\n      }\n      lineTotal {\n        formatted\n      }\n      product {\n        id\n        name\n        stock\n        imageUrl\n      }\n    }\n  }\n": typeof types.CartFieldsFragmentDoc,
    "\n  query Cart {\n    cart {\n      ...CartFields\n    }\n  }\n": typeof types.CartDocument,
    "\n  query CartCount {\n    cart {\n      itemCount\n    }\n  }\n": typeof types.CartCountDocument,
    "\n  mutation AddToCart($input: AddToCartInput!) {\n    addToCart(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.AddToCartDocument,
    "\n  mutation UpdateCartLine($input: UpdateCartLineInput!) {\n    updateCartLine(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.UpdateCartLineDocument,
    "\n  mutation RemoveCartLine($input: RemoveCartLineInput!) {\n    removeCartLine(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.RemoveCartLineDocument,
    "\n  mutation ClearCart {\n    clearCart {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.ClearCartDocument,
    "\n  fragment ProductCardFields on Product {\n    id\n    name\n    category\n    imageUrl\n    stock\n    inStock\n    price {\n      amount\n      currency\n      formatted\n    }\n  }\n": typeof types.ProductCardFieldsFragmentDoc,
    "\n  query Products($first: Int!, $after: String, $search: String, $category: String) {\n    products(first: $first, after: $after, search: $search, category: $category) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...ProductCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ProductsDocument,
    "\n  query Categories {\n    categories\n  }\n": typeof types.CategoriesDocument,
    "\n  query Product($id: ID!) {\n    product(id: $id) {\n      ...ProductCardFields\n      sku\n      description\n      ...AvailabilityFields\n    }\n  }\n": typeof types.ProductDocument,
    "\n  fragment ParcelFields on Shipment {\n    id\n    carrier\n    trackingNumber\n    status\n    updatedAt\n    location {\n      id\n      name\n      country\n    }\n    lines {\n      productId\n      name\n      quantity\n    }\n  }\n": typeof types.ParcelFieldsFragmentDoc,
    "\n  fragment AvailabilityFields on Product {\n    availability {\n      available\n      low\n      location {\n        id\n        name\n        country\n      }\n    }\n  }\n": typeof types.AvailabilityFieldsFragmentDoc,
    "\n  query Stock {\n    locations {\n      id\n      name\n      country\n    }\n    products(first: 100) {\n      edges {\n        node {\n          id\n          name\n          sku\n          stock\n          ...AvailabilityFields\n        }\n      }\n    }\n    lowStock {\n      available\n      product {\n        id\n        name\n      }\n      location {\n        id\n        name\n      }\n    }\n  }\n": typeof types.StockDocument,
    "\n  mutation Restock($input: RestockInput!) {\n    restock(input: $input) {\n      product {\n        id\n        stock\n        ...AvailabilityFields\n      }\n      errors {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.RestockDocument,
    "\n  query Notifications($first: Int!, $after: String) {\n    notifications(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          body\n          read\n          createdAt\n          order {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.NotificationsDocument,
    "\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {\n    markNotificationsRead(input: $input) {\n      ids\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.MarkNotificationsReadDocument,
    "\n  query OperationsDashboard($windowMinutes: Int) {\n    operationsDashboard(windowMinutes: $windowMinutes) {\n      generatedAt\n      windowMinutes\n      from\n      to\n      ordersRead\n      partial\n      ordersByStatus {\n        status\n        count\n      }\n      minutes {\n        start\n        completed\n        failed\n        cancelled\n        retries\n        compensations\n      }\n      totals {\n        completed\n        failed\n        cancelled\n        retries\n        compensations\n        refunds\n        stockReleases\n        otherCompensations\n      }\n      timeToComplete {\n        count\n        p50Seconds\n        p95Seconds\n        maxSeconds\n      }\n    }\n  }\n": typeof types.OperationsDashboardDocument,
    "\n  query OrderOperator($id: ID!) {\n    order(id: $id) {\n      id\n      temporalUrl\n      customer {\n        id\n        name\n        email\n      }\n      canRefund\n      workflowState {\n        status\n        canCancel\n        canChangeAddress\n        approvalDeadline\n        pendingFailures {\n          step\n          mode\n        }\n      }\n    }\n  }\n": typeof types.OrderOperatorDocument,
    "\n  subscription OrdersUpdated {\n    ordersUpdated {\n      ...OrderSummaryFields\n      temporalUrl\n    }\n  }\n": typeof types.OrdersUpdatedDocument,
    "\n  query OperatorOrders($first: Int!, $after: String, $filter: OrderFilter) {\n    orders(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          temporalUrl\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.OperatorOrdersDocument,
    "\n  mutation ApproveOrder($input: ApproveOrderInput!) {\n    approveOrder(input: $input) {\n      order {\n        ...OrderSummaryFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.ApproveOrderDocument,
    "\n  mutation RejectOrder($input: RejectOrderInput!) {\n    rejectOrder(input: $input) {\n      order {\n        ...OrderSummaryFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.RejectOrderDocument,
    "\n  mutation SimulateFailure($input: SimulateFailureInput!) {\n    simulateFailure(input: $input) {\n      order {\n        id\n        workflowState {\n          pendingFailures {\n            step\n            mode\n          }\n        }\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.SimulateFailureDocument,
    "\n  fragment SettingsFields on Settings {\n    approvalMode\n    approvalTimeoutSeconds\n    updatedAt\n    approvalThreshold {\n      amount\n      currency\n      formatted\n    }\n    failureRates {\n      step\n      failureProbability\n      latencyProbability\n      latencyMs\n    }\n  }\n": typeof types.SettingsFieldsFragmentDoc,
    "\n  query Settings {\n    settings {\n      ...SettingsFields\n    }\n  }\n": typeof types.SettingsDocument,
    "\n  mutation SetFailureRates($input: SetFailureRatesInput!) {\n    setFailureRates(input: $input) {\n      settings {\n        ...SettingsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.SetFailureRatesDocument,
    "\n  mutation UpdateApprovalSettings($input: UpdateApprovalSettingsInput!) {\n    updateApprovalSettings(input: $input) {\n      settings {\n        ...SettingsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.UpdateApprovalSettingsDocument,
    "\n  query OperatorRewards($customerId: ID!) {\n    rewards(customerId: $customerId) {\n      ...RewardsFields\n      temporalUrl\n    }\n  }\n": typeof types.OperatorRewardsDocument,
    "\n  mutation CloseRewards($input: CloseRewardsInput!) {\n    closeRewards(input: $input) {\n      rewards {\n        ...RewardsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CloseRewardsDocument,
    "\n  query ReturnsQueue($first: Int!) {\n    orders(first: $first, filter: { returnStatuses: [REQUESTED] }) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          returns {\n            id\n            status\n            reason\n            requestedAt\n            lines {\n              productId\n              name\n              quantity\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ReturnsQueueDocument,
    "\n  mutation RefundOrder($input: RefundOrderInput!) {\n    refundOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.RefundOrderDocument,
    "\n  mutation ApproveReturn($input: ApproveReturnInput!) {\n    approveReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.ApproveReturnDocument,
    "\n  mutation RejectReturn($input: RejectReturnInput!) {\n    rejectReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.RejectReturnDocument,
    "\n  mutation MarkReturnReceived($input: MarkReturnReceivedInput!) {\n    markReturnReceived(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.MarkReturnReceivedDocument,
    "\n  query OrdersTable($first: Int!, $after: String, $filter: OrderFilter, $orderBy: OrderSort) {\n    orders(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          temporalUrl\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.OrdersTableDocument,
    "\n  fragment TimelineEntryFields on TimelineEntry {\n    version\n    kind\n    status\n    detail\n    at\n  }\n": typeof types.TimelineEntryFieldsFragmentDoc,
    "\n  fragment PaymentEntryFields on PaymentEntry {\n    id\n    kind\n    amount {\n      formatted\n    }\n    transactionId\n    declineReason\n    reason\n    shipmentId\n    returnId\n    expiresAt\n    at\n  }\n": typeof types.PaymentEntryFieldsFragmentDoc,
    "\n  fragment ReturnFields on Return {\n    id\n    status\n    reason\n    carrier\n    trackingNumber\n    note\n    canCancel\n    requestedAt\n    updatedAt\n    refund {\n      formatted\n    }\n    lines {\n      productId\n      name\n      quantity\n      lineTotal {\n        formatted\n      }\n    }\n  }\n": typeof types.ReturnFieldsFragmentDoc,
    "\n  fragment OrderLiveFields on Order {\n    id\n    status\n    version\n    createdAt\n    updatedAt\n    itemCount\n    failureReason\n    canCancel\n    canChangeAddress\n    workflowId\n    subtotal {\n      formatted\n    }\n    shippingCost {\n      formatted\n    }\n    total {\n      formatted\n    }\n    lines {\n      productId\n      name\n      quantity\n      unitPrice {\n        formatted\n      }\n      lineTotal {\n        formatted\n      }\n    }\n    shippingAddress {\n      name\n      line1\n      line2\n      city\n      postalCode\n      country\n    }\n    payment {\n      status\n      amount {\n        formatted\n      }\n    }\n    paymentMethod {\n      brand\n      last4\n    }\n    ledger {\n      status\n      authorized {\n        formatted\n      }\n      captured {\n        formatted\n      }\n      refunded {\n        formatted\n      }\n      voided {\n        formatted\n      }\n      balance {\n        formatted\n      }\n      refundable {\n        amount\n        currency\n        formatted\n      }\n      expiresAt\n      entries {\n        ...PaymentEntryFields\n      }\n    }\n    returns {\n      ...ReturnFields\n    }\n    returnsUntil\n    returnableLines {\n      productId\n      quantity\n    }\n    shipments {\n      ...ParcelFields\n    }\n  }\n": typeof types.OrderLiveFieldsFragmentDoc,
    "\n  fragment OrderFields on Order {\n    ...OrderLiveFields\n    timeline {\n      ...TimelineEntryFields\n    }\n  }\n": typeof types.OrderFieldsFragmentDoc,
    "\n  fragment OrderSummaryFields on Order {\n    id\n    status\n    version\n    createdAt\n    itemCount\n    total {\n      formatted\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n": typeof types.OrderSummaryFieldsFragmentDoc,
    "\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderFields\n    }\n  }\n": typeof types.OrderDocument,
    "\n  subscription OrderUpdated($id: ID!) {\n    orderUpdated(id: $id) {\n      initial\n      entry {\n        ...TimelineEntryFields\n      }\n      order {\n        ...OrderLiveFields\n      }\n    }\n  }\n": typeof types.OrderUpdatedDocument,
    "\n  query Orders($first: Int!, $after: String, $filter: OrderFilter) {\n    orders(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.OrdersDocument,
    "\n  subscription MyOrdersUpdated {\n    myOrdersUpdated {\n      ...OrderSummaryFields\n    }\n  }\n": typeof types.MyOrdersUpdatedDocument,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      created\n      order {\n        id\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.PlaceOrderDocument,
    "\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      shipments {\n        changed\n        dispatched\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CancelOrderDocument,
    "\n  mutation UpdateShippingAddress($input: UpdateShippingAddressInput!) {\n    updateShippingAddress(input: $input) {\n      order {\n        ...OrderFields\n      }\n      shipments {\n        changed\n        dispatched\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.UpdateShippingAddressDocument,
    "\n  mutation RequestReturn($input: RequestReturnInput!) {\n    requestReturn(input: $input) {\n      return {\n        id\n      }\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.RequestReturnDocument,
    "\n  mutation CancelReturn($input: CancelReturnInput!) {\n    cancelReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CancelReturnDocument,
    "\n  fragment RewardsFields on Rewards {\n    customerId\n    points\n    tier\n    pointsToNextTier\n    progress\n    version\n    workflowId\n    workflowRunning\n    updatedAt\n    nextTier {\n      tier\n      points\n    }\n    tiers {\n      tier\n      points\n    }\n  }\n": typeof types.RewardsFieldsFragmentDoc,
    "\n  query Rewards {\n    rewards {\n      ...RewardsFields\n    }\n  }\n": typeof types.RewardsDocument,
    "\n  subscription RewardsUpdated {\n    rewardsUpdated {\n      ...RewardsFields\n    }\n  }\n": typeof types.RewardsUpdatedDocument,
};
const documents: Documents = {
    "\n  fragment UserErrorFields on UserError {\n    code\n    message\n    field\n  }\n": types.UserErrorFieldsFragmentDoc,
    "\n  query Me {\n    me {\n      id\n      name\n      email\n      role\n    }\n  }\n": types.MeDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      token\n      expiresAt\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n      expiresAt\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation Logout {\n    logout {\n      revoked\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.LogoutDocument,
    "\n  fragment CartFields on Cart {\n    itemCount\n    subtotal {\n      amount\n      currency\n      formatted\n    }\n    lines {\n      quantity\n      unitPrice {\n        formatted\n      }\n      lineTotal {\n        formatted\n      }\n      product {\n        id\n        name\n        stock\n        imageUrl\n      }\n    }\n  }\n": types.CartFieldsFragmentDoc,
    "\n  query Cart {\n    cart {\n      ...CartFields\n    }\n  }\n": types.CartDocument,
    "\n  query CartCount {\n    cart {\n      itemCount\n    }\n  }\n": types.CartCountDocument,
    "\n  mutation AddToCart($input: AddToCartInput!) {\n    addToCart(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.AddToCartDocument,
    "\n  mutation UpdateCartLine($input: UpdateCartLineInput!) {\n    updateCartLine(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.UpdateCartLineDocument,
    "\n  mutation RemoveCartLine($input: RemoveCartLineInput!) {\n    removeCartLine(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.RemoveCartLineDocument,
    "\n  mutation ClearCart {\n    clearCart {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.ClearCartDocument,
    "\n  fragment ProductCardFields on Product {\n    id\n    name\n    category\n    imageUrl\n    stock\n    inStock\n    price {\n      amount\n      currency\n      formatted\n    }\n  }\n": types.ProductCardFieldsFragmentDoc,
    "\n  query Products($first: Int!, $after: String, $search: String, $category: String) {\n    products(first: $first, after: $after, search: $search, category: $category) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...ProductCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ProductsDocument,
    "\n  query Categories {\n    categories\n  }\n": types.CategoriesDocument,
    "\n  query Product($id: ID!) {\n    product(id: $id) {\n      ...ProductCardFields\n      sku\n      description\n      ...AvailabilityFields\n    }\n  }\n": types.ProductDocument,
    "\n  fragment ParcelFields on Shipment {\n    id\n    carrier\n    trackingNumber\n    status\n    updatedAt\n    location {\n      id\n      name\n      country\n    }\n    lines {\n      productId\n      name\n      quantity\n    }\n  }\n": types.ParcelFieldsFragmentDoc,
    "\n  fragment AvailabilityFields on Product {\n    availability {\n      available\n      low\n      location {\n        id\n        name\n        country\n      }\n    }\n  }\n": types.AvailabilityFieldsFragmentDoc,
    "\n  query Stock {\n    locations {\n      id\n      name\n      country\n    }\n    products(first: 100) {\n      edges {\n        node {\n          id\n          name\n          sku\n          stock\n          ...AvailabilityFields\n        }\n      }\n    }\n    lowStock {\n      available\n      product {\n        id\n        name\n      }\n      location {\n        id\n        name\n      }\n    }\n  }\n": types.StockDocument,
    "\n  mutation Restock($input: RestockInput!) {\n    restock(input: $input) {\n      product {\n        id\n        stock\n        ...AvailabilityFields\n      }\n      errors {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.RestockDocument,
    "\n  query Notifications($first: Int!, $after: String) {\n    notifications(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          body\n          read\n          createdAt\n          order {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.NotificationsDocument,
    "\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {\n    markNotificationsRead(input: $input) {\n      ids\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.MarkNotificationsReadDocument,
    "\n  query OperationsDashboard($windowMinutes: Int) {\n    operationsDashboard(windowMinutes: $windowMinutes) {\n      generatedAt\n      windowMinutes\n      from\n      to\n      ordersRead\n      partial\n      ordersByStatus {\n        status\n        count\n      }\n      minutes {\n        start\n        completed\n        failed\n        cancelled\n        retries\n        compensations\n      }\n      totals {\n        completed\n        failed\n        cancelled\n        retries\n        compensations\n        refunds\n        stockReleases\n        otherCompensations\n      }\n      timeToComplete {\n        count\n        p50Seconds\n        p95Seconds\n        maxSeconds\n      }\n    }\n  }\n": types.OperationsDashboardDocument,
    "\n  query OrderOperator($id: ID!) {\n    order(id: $id) {\n      id\n      temporalUrl\n      customer {\n        id\n        name\n        email\n      }\n      canRefund\n      workflowState {\n        status\n        canCancel\n        canChangeAddress\n        approvalDeadline\n        pendingFailures {\n          step\n          mode\n        }\n      }\n    }\n  }\n": types.OrderOperatorDocument,
    "\n  subscription OrdersUpdated {\n    ordersUpdated {\n      ...OrderSummaryFields\n      temporalUrl\n    }\n  }\n": types.OrdersUpdatedDocument,
    "\n  query OperatorOrders($first: Int!, $after: String, $filter: OrderFilter) {\n    orders(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          temporalUrl\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.OperatorOrdersDocument,
    "\n  mutation ApproveOrder($input: ApproveOrderInput!) {\n    approveOrder(input: $input) {\n      order {\n        ...OrderSummaryFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.ApproveOrderDocument,
    "\n  mutation RejectOrder($input: RejectOrderInput!) {\n    rejectOrder(input: $input) {\n      order {\n        ...OrderSummaryFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.RejectOrderDocument,
    "\n  mutation SimulateFailure($input: SimulateFailureInput!) {\n    simulateFailure(input: $input) {\n      order {\n        id\n        workflowState {\n          pendingFailures {\n            step\n            mode\n          }\n        }\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.SimulateFailureDocument,
    "\n  fragment SettingsFields on Settings {\n    approvalMode\n    approvalTimeoutSeconds\n    updatedAt\n    approvalThreshold {\n      amount\n      currency\n      formatted\n    }\n    failureRates {\n      step\n      failureProbability\n      latencyProbability\n      latencyMs\n    }\n  }\n": types.SettingsFieldsFragmentDoc,
    "\n  query Settings {\n    settings {\n      ...SettingsFields\n    }\n  }\n": types.SettingsDocument,
    "\n  mutation SetFailureRates($input: SetFailureRatesInput!) {\n    setFailureRates(input: $input) {\n      settings {\n        ...SettingsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.SetFailureRatesDocument,
    "\n  mutation UpdateApprovalSettings($input: UpdateApprovalSettingsInput!) {\n    updateApprovalSettings(input: $input) {\n      settings {\n        ...SettingsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.UpdateApprovalSettingsDocument,
    "\n  query OperatorRewards($customerId: ID!) {\n    rewards(customerId: $customerId) {\n      ...RewardsFields\n      temporalUrl\n    }\n  }\n": types.OperatorRewardsDocument,
    "\n  mutation CloseRewards($input: CloseRewardsInput!) {\n    closeRewards(input: $input) {\n      rewards {\n        ...RewardsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CloseRewardsDocument,
    "\n  query ReturnsQueue($first: Int!) {\n    orders(first: $first, filter: { returnStatuses: [REQUESTED] }) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          returns {\n            id\n            status\n            reason\n            requestedAt\n            lines {\n              productId\n              name\n              quantity\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ReturnsQueueDocument,
    "\n  mutation RefundOrder($input: RefundOrderInput!) {\n    refundOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.RefundOrderDocument,
    "\n  mutation ApproveReturn($input: ApproveReturnInput!) {\n    approveReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.ApproveReturnDocument,
    "\n  mutation RejectReturn($input: RejectReturnInput!) {\n    rejectReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.RejectReturnDocument,
    "\n  mutation MarkReturnReceived($input: MarkReturnReceivedInput!) {\n    markReturnReceived(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.MarkReturnReceivedDocument,
    "\n  query OrdersTable($first: Int!, $after: String, $filter: OrderFilter, $orderBy: OrderSort) {\n    orders(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          temporalUrl\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.OrdersTableDocument,
    "\n  fragment TimelineEntryFields on TimelineEntry {\n    version\n    kind\n    status\n    detail\n    at\n  }\n": types.TimelineEntryFieldsFragmentDoc,
    "\n  fragment PaymentEntryFields on PaymentEntry {\n    id\n    kind\n    amount {\n      formatted\n    }\n    transactionId\n    declineReason\n    reason\n    shipmentId\n    returnId\n    expiresAt\n    at\n  }\n": types.PaymentEntryFieldsFragmentDoc,
    "\n  fragment ReturnFields on Return {\n    id\n    status\n    reason\n    carrier\n    trackingNumber\n    note\n    canCancel\n    requestedAt\n    updatedAt\n    refund {\n      formatted\n    }\n    lines {\n      productId\n      name\n      quantity\n      lineTotal {\n        formatted\n      }\n    }\n  }\n": types.ReturnFieldsFragmentDoc,
    "\n  fragment OrderLiveFields on Order {\n    id\n    status\n    version\n    createdAt\n    updatedAt\n    itemCount\n    failureReason\n    canCancel\n    canChangeAddress\n    workflowId\n    subtotal {\n      formatted\n    }\n    shippingCost {\n      formatted\n    }\n    total {\n      formatted\n    }\n    lines {\n      productId\n      name\n      quantity\n      unitPrice {\n        formatted\n      }\n      lineTotal {\n        formatted\n      }\n    }\n    shippingAddress {\n      name\n      line1\n      line2\n      city\n      postalCode\n      country\n    }\n    payment {\n      status\n      amount {\n        formatted\n      }\n    }\n    paymentMethod {\n      brand\n      last4\n    }\n    ledger {\n      status\n      authorized {\n        formatted\n      }\n      captured {\n        formatted\n      }\n      refunded {\n        formatted\n      }\n      voided {\n        formatted\n      }\n      balance {\n        formatted\n      }\n      refundable {\n        amount\n        currency\n        formatted\n      }\n      expiresAt\n      entries {\n        ...PaymentEntryFields\n      }\n    }\n    returns {\n      ...ReturnFields\n    }\n    returnsUntil\n    returnableLines {\n      productId\n      quantity\n    }\n    shipments {\n      ...ParcelFields\n    }\n  }\n": types.OrderLiveFieldsFragmentDoc,
    "\n  fragment OrderFields on Order {\n    ...OrderLiveFields\n    timeline {\n      ...TimelineEntryFields\n    }\n  }\n": types.OrderFieldsFragmentDoc,
    "\n  fragment OrderSummaryFields on Order {\n    id\n    status\n    version\n    createdAt\n    itemCount\n    total {\n      formatted\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n": types.OrderSummaryFieldsFragmentDoc,
    "\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderFields\n    }\n  }\n": types.OrderDocument,
    "\n  subscription OrderUpdated($id: ID!) {\n    orderUpdated(id: $id) {\n      initial\n      entry {\n        ...TimelineEntryFields\n      }\n      order {\n        ...OrderLiveFields\n      }\n    }\n  }\n": types.OrderUpdatedDocument,
    "\n  query Orders($first: Int!, $after: String, $filter: OrderFilter) {\n    orders(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.OrdersDocument,
    "\n  subscription MyOrdersUpdated {\n    myOrdersUpdated {\n      ...OrderSummaryFields\n    }\n  }\n": types.MyOrdersUpdatedDocument,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      created\n      order {\n        id\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.PlaceOrderDocument,
    "\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      shipments {\n        changed\n        dispatched\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CancelOrderDocument,
    "\n  mutation UpdateShippingAddress($input: UpdateShippingAddressInput!) {\n    updateShippingAddress(input: $input) {\n      order {\n        ...OrderFields\n      }\n      shipments {\n        changed\n        dispatched\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.UpdateShippingAddressDocument,
    "\n  mutation RequestReturn($input: RequestReturnInput!) {\n    requestReturn(input: $input) {\n      return {\n        id\n      }\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.RequestReturnDocument,
    "\n  mutation CancelReturn($input: CancelReturnInput!) {\n    cancelReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CancelReturnDocument,
    "\n  fragment RewardsFields on Rewards {\n    customerId\n    points\n    tier\n    pointsToNextTier\n    progress\n    version\n    workflowId\n    workflowRunning\n    updatedAt\n    nextTier {\n      tier\n      points\n    }\n    tiers {\n      tier\n      points\n    }\n  }\n": types.RewardsFieldsFragmentDoc,
    "\n  query Rewards {\n    rewards {\n      ...RewardsFields\n    }\n  }\n": types.RewardsDocument,
    "\n  subscription RewardsUpdated {\n    rewardsUpdated {\n      ...RewardsFields\n    }\n  }\n": types.RewardsUpdatedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserErrorFields on UserError {\n    code\n    message\n    field\n  }\n"): (typeof documents)["\n  fragment UserErrorFields on UserError {\n    code\n    message\n    field\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      name\n      email\n      role\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      name\n      email\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      token\n      expiresAt\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      token\n      expiresAt\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n      expiresAt\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      token\n      expiresAt\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout {\n      revoked\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout {\n      revoked\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CartFields on Cart {\n    itemCount\n    subtotal {\n      amount\n      currency\n      formatted\n    }\n    lines {\n      quantity\n      unitPrice {\n        formatted\n      }\n      lineTotal {\n        formatted\n      }\n      product {\n        id\n        name\n        stock\n        imageUrl\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment CartFields on Cart {\n    itemCount\n    subtotal {\n      amount\n      currency\n      formatted\n    }\n    lines {\n      quantity\n      unitPrice {\n        formatted\n      }\n      lineTotal {\n        formatted\n      }\n      product {\n        id\n        name\n        stock\n        imageUrl\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Cart {\n    cart {\n      ...CartFields\n    }\n  }\n"): (typeof documents)["\n  query Cart {\n    cart {\n      ...CartFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CartCount {\n    cart {\n      itemCount\n    }\n  }\n"): (typeof documents)["\n  query CartCount {\n    cart {\n      itemCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddToCart($input: AddToCartInput!) {\n    addToCart(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddToCart($input: AddToCartInput!) {\n    addToCart(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCartLine($input: UpdateCartLineInput!) {\n    updateCartLine(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCartLine($input: UpdateCartLineInput!) {\n    updateCartLine(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveCartLine($input: RemoveCartLineInput!) {\n    removeCartLine(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveCartLine($input: RemoveCartLineInput!) {\n    removeCartLine(input: $input) {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClearCart {\n    clearCart {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ClearCart {\n    clearCart {\n      cart {\n        ...CartFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductCardFields on Product {\n    id\n    name\n    category\n    imageUrl\n    stock\n    inStock\n    price {\n      amount\n      currency\n      formatted\n    }\n  }\n"): (typeof documents)["\n  fragment ProductCardFields on Product {\n    id\n    name\n    category\n    imageUrl\n    stock\n    inStock\n    price {\n      amount\n      currency\n      formatted\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Products($first: Int!, $after: String, $search: String, $category: String) {\n    products(first: $first, after: $after, search: $search, category: $category) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...ProductCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Products($first: Int!, $after: String, $search: String, $category: String) {\n    products(first: $first, after: $after, search: $search, category: $category) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...ProductCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Categories {\n    categories\n  }\n"): (typeof documents)["\n  query Categories {\n    categories\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Product($id: ID!) {\n    product(id: $id) {\n      ...ProductCardFields\n      sku\n      description\n      ...AvailabilityFields\n    }\n  }\n"): (typeof documents)["\n  query Product($id: ID!) {\n    product(id: $id) {\n      ...ProductCardFields\n      sku\n      description\n      ...AvailabilityFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ParcelFields on Shipment {\n    id\n    carrier\n    trackingNumber\n    status\n    updatedAt\n    location {\n      id\n      name\n      country\n    }\n    lines {\n      productId\n      name\n      quantity\n    }\n  }\n"): (typeof documents)["\n  fragment ParcelFields on Shipment {\n    id\n    carrier\n    trackingNumber\n    status\n    updatedAt\n    location {\n      id\n      name\n      country\n    }\n    lines {\n      productId\n      name\n      quantity\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AvailabilityFields on Product {\n    availability {\n      available\n      low\n      location {\n        id\n        name\n        country\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment AvailabilityFields on Product {\n    availability {\n      available\n      low\n      location {\n        id\n        name\n        country\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Stock {\n    locations {\n      id\n      name\n      country\n    }\n    products(first: 100) {\n      edges {\n        node {\n          id\n          name\n          sku\n          stock\n          ...AvailabilityFields\n        }\n      }\n    }\n    lowStock {\n      available\n      product {\n        id\n        name\n      }\n      location {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query Stock {\n    locations {\n      id\n      name\n      country\n    }\n    products(first: 100) {\n      edges {\n        node {\n          id\n          name\n          sku\n          stock\n          ...AvailabilityFields\n        }\n      }\n    }\n    lowStock {\n      available\n      product {\n        id\n        name\n      }\n      location {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Restock($input: RestockInput!) {\n    restock(input: $input) {\n      product {\n        id\n        stock\n        ...AvailabilityFields\n      }\n      errors {\n        code\n        message\n        field\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Restock($input: RestockInput!) {\n    restock(input: $input) {\n      product {\n        id\n        stock\n        ...AvailabilityFields\n      }\n      errors {\n        code\n        message\n        field\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Notifications($first: Int!, $after: String) {\n    notifications(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          body\n          read\n          createdAt\n          order {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Notifications($first: Int!, $after: String) {\n    notifications(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          body\n          read\n          createdAt\n          order {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {\n    markNotificationsRead(input: $input) {\n      ids\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {\n    markNotificationsRead(input: $input) {\n      ids\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperationsDashboard($windowMinutes: Int) {\n    operationsDashboard(windowMinutes: $windowMinutes) {\n      generatedAt\n      windowMinutes\n      from\n      to\n      ordersRead\n      partial\n      ordersByStatus {\n        status\n        count\n      }\n      minutes {\n        start\n        completed\n        failed\n        cancelled\n        retries\n        compensations\n      }\n      totals {\n        completed\n        failed\n        cancelled\n        retries\n        compensations\n        refunds\n        stockReleases\n        otherCompensations\n      }\n      timeToComplete {\n        count\n        p50Seconds\n        p95Seconds\n        maxSeconds\n      }\n    }\n  }\n"): (typeof documents)["\n  query OperationsDashboard($windowMinutes: Int) {\n    operationsDashboard(windowMinutes: $windowMinutes) {\n      generatedAt\n      windowMinutes\n      from\n      to\n      ordersRead\n      partial\n      ordersByStatus {\n        status\n        count\n      }\n      minutes {\n        start\n        completed\n        failed\n        cancelled\n        retries\n        compensations\n      }\n      totals {\n        completed\n        failed\n        cancelled\n        retries\n        compensations\n        refunds\n        stockReleases\n        otherCompensations\n      }\n      timeToComplete {\n        count\n        p50Seconds\n        p95Seconds\n        maxSeconds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderOperator($id: ID!) {\n    order(id: $id) {\n      id\n      temporalUrl\n      customer {\n        id\n        name\n        email\n      }\n      canRefund\n      workflowState {\n        status\n        canCancel\n        canChangeAddress\n        approvalDeadline\n        pendingFailures {\n          step\n          mode\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrderOperator($id: ID!) {\n    order(id: $id) {\n      id\n      temporalUrl\n      customer {\n        id\n        name\n        email\n      }\n      canRefund\n      workflowState {\n        status\n        canCancel\n        canChangeAddress\n        approvalDeadline\n        pendingFailures {\n          step\n          mode\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrdersUpdated {\n    ordersUpdated {\n      ...OrderSummaryFields\n      temporalUrl\n    }\n  }\n"): (typeof documents)["\n  subscription OrdersUpdated {\n    ordersUpdated {\n      ...OrderSummaryFields\n      temporalUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorOrders($first: Int!, $after: String, $filter: OrderFilter) {\n    orders(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          temporalUrl\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query OperatorOrders($first: Int!, $after: String, $filter: OrderFilter) {\n    orders(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          temporalUrl\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveOrder($input: ApproveOrderInput!) {\n    approveOrder(input: $input) {\n      order {\n        ...OrderSummaryFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ApproveOrder($input: ApproveOrderInput!) {\n    approveOrder(input: $input) {\n      order {\n        ...OrderSummaryFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectOrder($input: RejectOrderInput!) {\n    rejectOrder(input: $input) {\n      order {\n        ...OrderSummaryFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RejectOrder($input: RejectOrderInput!) {\n    rejectOrder(input: $input) {\n      order {\n        ...OrderSummaryFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SimulateFailure($input: SimulateFailureInput!) {\n    simulateFailure(input: $input) {\n      order {\n        id\n        workflowState {\n          pendingFailures {\n            step\n            mode\n          }\n        }\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SimulateFailure($input: SimulateFailureInput!) {\n    simulateFailure(input: $input) {\n      order {\n        id\n        workflowState {\n          pendingFailures {\n            step\n            mode\n          }\n        }\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SettingsFields on Settings {\n    approvalMode\n    approvalTimeoutSeconds\n    updatedAt\n    approvalThreshold {\n      amount\n      currency\n      formatted\n    }\n    failureRates {\n      step\n      failureProbability\n      latencyProbability\n      latencyMs\n    }\n  }\n"): (typeof documents)["\n  fragment SettingsFields on Settings {\n    approvalMode\n    approvalTimeoutSeconds\n    updatedAt\n    approvalThreshold {\n      amount\n      currency\n      formatted\n    }\n    failureRates {\n      step\n      failureProbability\n      latencyProbability\n      latencyMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Settings {\n    settings {\n      ...SettingsFields\n    }\n  }\n"): (typeof documents)["\n  query Settings {\n    settings {\n      ...SettingsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetFailureRates($input: SetFailureRatesInput!) {\n    setFailureRates(input: $input) {\n      settings {\n        ...SettingsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetFailureRates($input: SetFailureRatesInput!) {\n    setFailureRates(input: $input) {\n      settings {\n        ...SettingsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateApprovalSettings($input: UpdateApprovalSettingsInput!) {\n    updateApprovalSettings(input: $input) {\n      settings {\n        ...SettingsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateApprovalSettings($input: UpdateApprovalSettingsInput!) {\n    updateApprovalSettings(input: $input) {\n      settings {\n        ...SettingsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorRewards($customerId: ID!) {\n    rewards(customerId: $customerId) {\n      ...RewardsFields\n      temporalUrl\n    }\n  }\n"): (typeof documents)["\n  query OperatorRewards($customerId: ID!) {\n    rewards(customerId: $customerId) {\n      ...RewardsFields\n      temporalUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CloseRewards($input: CloseRewardsInput!) {\n    closeRewards(input: $input) {\n      rewards {\n        ...RewardsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CloseRewards($input: CloseRewardsInput!) {\n    closeRewards(input: $input) {\n      rewards {\n        ...RewardsFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReturnsQueue($first: Int!) {\n    orders(first: $first, filter: { returnStatuses: [REQUESTED] }) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          returns {\n            id\n            status\n            reason\n            requestedAt\n            lines {\n              productId\n              name\n              quantity\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReturnsQueue($first: Int!) {\n    orders(first: $first, filter: { returnStatuses: [REQUESTED] }) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          returns {\n            id\n            status\n            reason\n            requestedAt\n            lines {\n              productId\n              name\n              quantity\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefundOrder($input: RefundOrderInput!) {\n    refundOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RefundOrder($input: RefundOrderInput!) {\n    refundOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveReturn($input: ApproveReturnInput!) {\n    approveReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ApproveReturn($input: ApproveReturnInput!) {\n    approveReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectReturn($input: RejectReturnInput!) {\n    rejectReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RejectReturn($input: RejectReturnInput!) {\n    rejectReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkReturnReceived($input: MarkReturnReceivedInput!) {\n    markReturnReceived(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation MarkReturnReceived($input: MarkReturnReceivedInput!) {\n    markReturnReceived(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrdersTable($first: Int!, $after: String, $filter: OrderFilter, $orderBy: OrderSort) {\n    orders(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          temporalUrl\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrdersTable($first: Int!, $after: String, $filter: OrderFilter, $orderBy: OrderSort) {\n    orders(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n          temporalUrl\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TimelineEntryFields on TimelineEntry {\n    version\n    kind\n    status\n    detail\n    at\n  }\n"): (typeof documents)["\n  fragment TimelineEntryFields on TimelineEntry {\n    version\n    kind\n    status\n    detail\n    at\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PaymentEntryFields on PaymentEntry {\n    id\n    kind\n    amount {\n      formatted\n    }\n    transactionId\n    declineReason\n    reason\n    shipmentId\n    returnId\n    expiresAt\n    at\n  }\n"): (typeof documents)["\n  fragment PaymentEntryFields on PaymentEntry {\n    id\n    kind\n    amount {\n      formatted\n    }\n    transactionId\n    declineReason\n    reason\n    shipmentId\n    returnId\n    expiresAt\n    at\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReturnFields on Return {\n    id\n    status\n    reason\n    carrier\n    trackingNumber\n    note\n    canCancel\n    requestedAt\n    updatedAt\n    refund {\n      formatted\n    }\n    lines {\n      productId\n      name\n      quantity\n      lineTotal {\n        formatted\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ReturnFields on Return {\n    id\n    status\n    reason\n    carrier\n    trackingNumber\n    note\n    canCancel\n    requestedAt\n    updatedAt\n    refund {\n      formatted\n    }\n    lines {\n      productId\n      name\n      quantity\n      lineTotal {\n        formatted\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderLiveFields on Order {\n    id\n    status\n    version\n    createdAt\n    updatedAt\n    itemCount\n    failureReason\n    canCancel\n    canChangeAddress\n    workflowId\n    subtotal {\n      formatted\n    }\n    shippingCost {\n      formatted\n    }\n    total {\n      formatted\n    }\n    lines {\n      productId\n      name\n      quantity\n      unitPrice {\n        formatted\n      }\n      lineTotal {\n        formatted\n      }\n    }\n    shippingAddress {\n      name\n      line1\n      line2\n      city\n      postalCode\n      country\n    }\n    payment {\n      status\n      amount {\n        formatted\n      }\n    }\n    paymentMethod {\n      brand\n      last4\n    }\n    ledger {\n      status\n      authorized {\n        formatted\n      }\n      captured {\n        formatted\n      }\n      refunded {\n        formatted\n      }\n      voided {\n        formatted\n      }\n      balance {\n        formatted\n      }\n      refundable {\n        amount\n        currency\n        formatted\n      }\n      expiresAt\n      entries {\n        ...PaymentEntryFields\n      }\n    }\n    returns {\n      ...ReturnFields\n    }\n    returnsUntil\n    returnableLines {\n      productId\n      quantity\n    }\n    shipments {\n      ...ParcelFields\n    }\n  }\n"): (typeof documents)["\n  fragment OrderLiveFields on Order {\n    id\n    status\n    version\n    createdAt\n    updatedAt\n    itemCount\n    failureReason\n    canCancel\n    canChangeAddress\n    workflowId\n    subtotal {\n      formatted\n    }\n    shippingCost {\n      formatted\n    }\n    total {\n      formatted\n    }\n    lines {\n      productId\n      name\n      quantity\n      unitPrice {\n        formatted\n      }\n      lineTotal {\n        formatted\n      }\n    }\n    shippingAddress {\n      name\n      line1\n      line2\n      city\n      postalCode\n      country\n    }\n    payment {\n      status\n      amount {\n        formatted\n      }\n    }\n    paymentMethod {\n      brand\n      last4\n    }\n    ledger {\n      status\n      authorized {\n        formatted\n      }\n      captured {\n        formatted\n      }\n      refunded {\n        formatted\n      }\n      voided {\n        formatted\n      }\n      balance {\n        formatted\n      }\n      refundable {\n        amount\n        currency\n        formatted\n      }\n      expiresAt\n      entries {\n        ...PaymentEntryFields\n      }\n    }\n    returns {\n      ...ReturnFields\n    }\n    returnsUntil\n    returnableLines {\n      productId\n      quantity\n    }\n    shipments {\n      ...ParcelFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderFields on Order {\n    ...OrderLiveFields\n    timeline {\n      ...TimelineEntryFields\n    }\n  }\n"): (typeof documents)["\n  fragment OrderFields on Order {\n    ...OrderLiveFields\n    timeline {\n      ...TimelineEntryFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderSummaryFields on Order {\n    id\n    status\n    version\n    createdAt\n    itemCount\n    total {\n      formatted\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment OrderSummaryFields on Order {\n    id\n    status\n    version\n    createdAt\n    itemCount\n    total {\n      formatted\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderFields\n    }\n  }\n"): (typeof documents)["\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderUpdated($id: ID!) {\n    orderUpdated(id: $id) {\n      initial\n      entry {\n        ...TimelineEntryFields\n      }\n      order {\n        ...OrderLiveFields\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription OrderUpdated($id: ID!) {\n    orderUpdated(id: $id) {\n      initial\n      entry {\n        ...TimelineEntryFields\n      }\n      order {\n        ...OrderLiveFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Orders($first: Int!, $after: String, $filter: OrderFilter) {\n    orders(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Orders($first: Int!, $after: String, $filter: OrderFilter) {\n    orders(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...OrderSummaryFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MyOrdersUpdated {\n    myOrdersUpdated {\n      ...OrderSummaryFields\n    }\n  }\n"): (typeof documents)["\n  subscription MyOrdersUpdated {\n    myOrdersUpdated {\n      ...OrderSummaryFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      created\n      order {\n        id\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      created\n      order {\n        id\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      shipments {\n        changed\n        dispatched\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelOrder($input: CancelOrderInput!) {\n    cancelOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      shipments {\n        changed\n        dispatched\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateShippingAddress($input: UpdateShippingAddressInput!) {\n    updateShippingAddress(input: $input) {\n      order {\n        ...OrderFields\n      }\n      shipments {\n        changed\n        dispatched\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateShippingAddress($input: UpdateShippingAddressInput!) {\n    updateShippingAddress(input: $input) {\n      order {\n        ...OrderFields\n      }\n      shipments {\n        changed\n        dispatched\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestReturn($input: RequestReturnInput!) {\n    requestReturn(input: $input) {\n      return {\n        id\n      }\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RequestReturn($input: RequestReturnInput!) {\n    requestReturn(input: $input) {\n      return {\n        id\n      }\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelReturn($input: CancelReturnInput!) {\n    cancelReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelReturn($input: CancelReturnInput!) {\n    cancelReturn(input: $input) {\n      order {\n        ...OrderFields\n      }\n      errors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RewardsFields on Rewards {\n    customerId\n    points\n    tier\n    pointsToNextTier\n    progress\n    version\n    workflowId\n    workflowRunning\n    updatedAt\n    nextTier {\n      tier\n      points\n    }\n    tiers {\n      tier\n      points\n    }\n  }\n"): (typeof documents)["\n  fragment RewardsFields on Rewards {\n    customerId\n    points\n    tier\n    pointsToNextTier\n    progress\n    version\n    workflowId\n    workflowRunning\n    updatedAt\n    nextTier {\n      tier\n      points\n    }\n    tiers {\n      tier\n      points\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Rewards {\n    rewards {\n      ...RewardsFields\n    }\n  }\n"): (typeof documents)["\n  query Rewards {\n    rewards {\n      ...RewardsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RewardsUpdated {\n    rewardsUpdated {\n      ...RewardsFields\n    }\n  }\n"): (typeof documents)["\n  subscription RewardsUpdated {\n    rewardsUpdated {\n      ...RewardsFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;