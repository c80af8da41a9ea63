import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, apiRegister, BASE_URL, DEMO_ADMIN, graphql, inspect, launch, orderStatusOf, setApprovalMode, signedInContext } from './harness';

const LIVE = { timeout: 120_000, interval: 250 };

/**
 * Puts one unit of each product in the cart and checks out to a US address.
 * The demo's microphone is stocked only in US East and its chef's knife only
 * in the EU, so together they ship as two parcels.
 */
async function placeSplitOrder(token: string, products: string[]): Promise<string> {
  for (const name of products) {
    const found = await graphql<{ products: { edges: { node: { id: string; name: string } }[] } }>(
      'query($search: String) { products(first: 5, search: $search) { edges { node { id name } } } }',
      { search: name },
    );
    const productId = found.products.edges.find((e) => e.node.name === name)?.node.id;
    if (!productId) throw new Error(`no product named ${name}`);
    const added = await graphql<{ addToCart: { errors: { message: string }[] } }>(
      'mutation($input: AddToCartInput!) { addToCart(input: $input) { errors { message } } }',
      { input: { productId, quantity: 1 } },
      token,
    );
    if (added.addToCart.errors.length) throw new Error(`addToCart: ${added.addToCart.errors[0]?.message}`);
  }
  const placed = await graphql<{ placeOrder: { order: { id: string } | null; errors: { message: string }[] } }>(
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { message } } }',
    {
      input: {
        idempotencyKey: `e2e-split-${Date.now()}-${Math.random()}`,
        shippingAddress: { name: 'Split Shopper', line1: '1 Loop Road', city: 'Localhost', postalCode: '12700', country: 'US' },
      },
    },
    token,
  );
  const id = placed.placeOrder.order?.id;
  if (!id) throw new Error(`placeOrder: ${placed.placeOrder.errors.map((e) => e.message).join('; ')}`);
  return id;
}


describe.skipIf(!BASE_URL)('stock locations and parcels', () => {
  let browser: Browser;
  let adminToken: string;
  let operator: BrowserContext;

  beforeAll(async () => {
    browser = await launch();
    adminToken = await apiLogin(DEMO_ADMIN.email, DEMO_ADMIN.password);
    await setApprovalMode(adminToken, 'NEVER');
    operator = await signedInContext(browser, adminToken);
  });

  afterAll(async () => {
    if (adminToken) await setApprovalMode(adminToken, 'ABOVE_THRESHOLD');
    await browser?.close();
  });

  it('an order split across two locations shows two parcels, each live until delivered', async () => {
    const shopper = await apiRegister();
    const orderId = await placeSplitOrder(shopper.token, ['Studio Condenser Microphone', "Chef's Knife 20 cm"]);
    const page = await (await signedInContext(browser, shopper.token)).newPage();
    await page.goto(`/orders/${orderId}`);
    await page.getByRole('heading', { level: 1, name: `Order ${orderId}` }).waitFor();

    await page.getByRole('heading', { name: 'Parcels (2)' }).waitFor({ timeout: LIVE.timeout });
    const east = page.getByRole('listitem', { name: 'Parcel 1 of 2 from US East (New Jersey)' });
    const eu = page.getByRole('listitem', { name: 'Parcel 2 of 2 from EU (Rotterdam)' });
    await east.getByText('1 × Studio Condenser Microphone').waitFor();
    await eu.getByText("1 × Chef's Knife 20 cm").waitFor();

    await expect.poll(() => orderStatusOf(page), LIVE).toContain('Completed');
    await east.getByLabel('Parcel status: Delivered').waitFor();
    await eu.getByLabel('Parcel status: Delivered').waitFor();
    // Each parcel was captured on its own as it left.
    const captures = await page.getByRole('list', { name: 'Payment ledger' }).getByRole('listitem').allTextContents();
    expect(captures.filter((row) => /^Charged/.test(row))).toHaveLength(2);
    await inspect(page, 'order-parcels');
  });

  it('a product page shows its stock per location, and an operator restocks one', async () => {
    const page = await operator.newPage();
    await page.goto('/');
    await page.getByLabel('Search products').fill('tent');
    await page.getByRole('link', { name: 'Ridge Two-Person Tent' }).click();
    const availability = page.getByRole('region', { name: 'Availability' });
    await availability.getByText('US West (Nevada)').waitFor();
    const before = await availability.getByRole('listitem').allTextContents();
    expect(before.find((row) => row.startsWith('EU (Rotterdam)'))).toMatch(/none$/);

    await page.goto('/console');
    const stock = page.getByRole('region', { name: 'Stock by location' });
    await stock.getByRole('row', { name: /Ridge Two-Person Tent/ }).waitFor();
    const form = stock.getByRole('form', { name: 'Restock' });
    await form.getByLabel('Product').selectOption({ label: 'Ridge Two-Person Tent' });
    await form.getByLabel('Location').selectOption({ label: 'EU (Rotterdam)' });
    await form.getByLabel('Units').fill('3');
    await form.getByRole('button', { name: 'Restock' }).click();
    await form.getByRole('status').getByText(/^Restocked: \d+ in stock in all$/).waitFor();
    await inspect(page, 'console-stock');

    await page.goBack();
    await page.goto('/');
    await page.getByLabel('Search products').fill('tent');
    await page.getByRole('link', { name: 'Ridge Two-Person Tent' }).click();
    await expect
      .poll(async () => (await page.getByRole('region', { name: 'Availability' }).getByRole('listitem').allTextContents()).find((r) => r.startsWith('EU')), LIVE)
      .toMatch(/3 in stock|only 3 left/);
  });
});
