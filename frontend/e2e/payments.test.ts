import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, apiPlaceOrder, apiRegister, BASE_URL, DEMO_ADMIN, inspect, launch, orderStatusOf, setApprovalMode, signedInContext } from './harness';

const LIVE = { timeout: 120_000, interval: 250 };

async function openOrder(context: BrowserContext, id: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/orders/${id}`);
  await page.getByRole('heading', { level: 1, name: `Order ${id}` }).waitFor();
  return page;
}

const paymentStatusOf = (page: Page) => page.getByLabel(/^Payment status/).textContent();
const ledgerRows = (page: Page) => page.getByRole('list', { name: 'Payment ledger' }).getByRole('listitem').allTextContents();

describe.skipIf(!BASE_URL)('money and returns', () => {
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

  it('a declined test card ends the order failed with the reason, nothing charged', async () => {
    const shopper = await apiRegister();
    const context = await signedInContext(browser, shopper.token);
    const page = await context.newPage();
    // The checkout's own form, with the sandbox's insufficient-funds card.
    const productPage = await context.newPage();
    await productPage.goto('/');
    await productPage.getByLabel('Search products').fill('bottle');
    await productPage.getByRole('link', { name: 'Trail Insulated Bottle' }).click();
    await productPage.getByRole('button', { name: 'Add to cart: Trail Insulated Bottle' }).click();
    await productPage.getByText('Added to cart').waitFor();
    await productPage.close();

    await page.goto('/checkout');
    await page.getByLabel('Full name').fill('Declined Shopper');
    await page.getByLabel('Street and number').fill('1 Loop Road');
    await page.getByLabel('City').fill('Localhost');
    await page.getByLabel('Postal code').fill('12700');
    await page.getByLabel('Country code').fill('US');
    await page.getByLabel('Test card').selectOption({ label: '4000 0000 0000 9995 — declined: insufficient funds' });
    await expect.poll(() => page.getByLabel('Card number').inputValue()).toBe('4000 0000 0000 9995');
    await inspect(page, 'checkout-card');
    await page.getByRole('button', { name: 'Place order' }).click();

    await page.waitForURL(/\/orders\/ord_/);
    await expect.poll(() => orderStatusOf(page), LIVE).toContain('Failed');
    await page.getByText('Reason: payment declined: the card has insufficient funds').waitFor();
    expect(await paymentStatusOf(page)).toBe('Declined');
    expect((await ledgerRows(page))[0]).toMatch(/^Declined .* — insufficient funds/);
    await inspect(page, 'order-declined');
  });

  it('an operator refunds part of a delivered order in the refund dialog; an over-refund is refused', async () => {
    const shopper = await apiRegister();
    const orderId = await apiPlaceOrder(shopper.token, 'Trail Insulated Bottle', 2);
    const shopperPage = await openOrder(await signedInContext(browser, shopper.token), orderId);
    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toContain('Completed');
    expect(await paymentStatusOf(shopperPage)).toBe('Charged');

    const page = await openOrder(operator, orderId);
    await page.getByRole('button', { name: 'Refund…' }).click();
    const dialog = page.getByRole('dialog', { name: `Refund order ${orderId}` });
    await dialog.getByLabel(/^Amount/).fill('100000');
    await dialog.getByLabel('Reason, shown to the customer').fill('too much');
    await dialog.getByRole('button', { name: 'Refund' }).click();
    await dialog.getByRole('alert').getByText(/cannot refund/).waitFor();

    await dialog.getByLabel(/^Amount/).fill('5.00');
    await dialog.getByLabel('Reason, shown to the customer').fill('a scratch on the lid');
    await inspect(page, 'refund-dialog');
    await dialog.getByRole('button', { name: 'Refund' }).click();
    await page.getByText(/Refunded\. .* is left to refund\./).waitFor({ timeout: LIVE.timeout });

    // The shopper's page follows live: the ledger has the refund, with its reason.
    await expect.poll(() => paymentStatusOf(shopperPage), LIVE).toBe('Partly refunded');
    const rows = await ledgerRows(shopperPage);
    expect(rows.some((r) => r.startsWith('Refunded $5.00 — a scratch on the lid'))).toBe(true);
    await inspect(shopperPage, 'order-partly-refunded');
  });

  it('a shopper returns items; the operator approves from the returns queue and marks the parcel received; stock and refund follow', async () => {
    const shopper = await apiRegister();
    const orderId = await apiPlaceOrder(shopper.token, 'Lumen LED Desk Lamp', 2);
    const shopperPage = await openOrder(await signedInContext(browser, shopper.token), orderId);
    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toContain('Completed');

    await shopperPage.getByRole('button', { name: 'Return items…' }).click();
    const form = shopperPage.getByRole('form', { name: 'Return items' });
    await form.getByLabel(/Lumen LED Desk Lamp/).fill('1');
    await form.getByLabel(/Why are you returning/).fill('too bright');
    await inspect(shopperPage, 'return-form');
    await form.getByRole('button', { name: 'Request return' }).click();
    const ret = shopperPage.getByRole('list', { name: 'Returns' }).getByRole('listitem').first();
    await expect.poll(() => ret.textContent(), LIVE).toContain('Requested');

    const console = await operator.newPage();
    await console.goto('/console');
    const queue = console.getByRole('list', { name: 'Returns queue' });
    const row = queue.getByRole('listitem').filter({ hasText: 'too bright' });
    await row.waitFor({ timeout: LIVE.timeout });
    await inspect(console, 'console-returns');
    await row.getByRole('button', { name: /^Approve return/ }).click();
    await expect.poll(() => ret.textContent(), LIVE).toContain('Approved');
    expect(await ret.textContent()).toMatch(/Return label: \w+ /);

    const orderPage = await openOrder(operator, orderId);
    await orderPage.getByRole('button', { name: /^Mark return .* received$/ }).click();
    await expect.poll(() => ret.textContent(), LIVE).toContain('Refunded');
    await expect.poll(() => paymentStatusOf(shopperPage), LIVE).toBe('Partly refunded');
    const timeline = await shopperPage.getByRole('list', { name: 'Order timeline' }).getByRole('listitem').allTextContents();
    expect(timeline.some((t) => t.startsWith('Return') && t.includes('1 unit(s) back in stock'))).toBe(true);
    await inspect(shopperPage, 'order-returned');
  });
});
