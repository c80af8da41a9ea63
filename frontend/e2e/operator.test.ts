import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiLogin,
  apiOperator,
  apiPlaceOrder,
  apiRegister,
  BASE_URL,
  DEMO_ADMIN,
  launch,
  newContext,
  inspect,
  orderStatusOf,
  setApprovalMode,
  signedInContext,
} from './harness';

const LIVE = { timeout: 120_000, interval: 250 };

async function openOrder(context: BrowserContext, id: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/orders/${id}`);
  await page.getByRole('heading', { level: 1, name: `Order ${id}` }).waitFor();
  return page;
}

const timelineOf = (page: Page) => page.getByRole('list', { name: 'Order timeline' }).getByRole('listitem').allTextContents();

describe.skipIf(!BASE_URL)('operator and shopper together', () => {
  let browser: Browser;
  let adminToken: string;
  let operator: BrowserContext;

  beforeAll(async () => {
    browser = await launch();
    adminToken = await apiLogin(DEMO_ADMIN.email, DEMO_ADMIN.password);
    await setApprovalMode(adminToken, 'ALWAYS');
    // The operator signs in through the form once; the context keeps the session.
    operator = await newContext(browser);
    const page = await operator.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(DEMO_ADMIN.email);
    await page.getByLabel('Password').fill(DEMO_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Console' }).waitFor();
    await page.close();
  });

  afterAll(async () => {
    if (adminToken) await setApprovalMode(adminToken, 'ABOVE_THRESHOLD');
    await browser?.close();
  });

  it('operator approves a held order from the console and the shopper page follows live', async () => {
    const shopper = await apiRegister();
    const orderId = await apiPlaceOrder(shopper.token, 'Lumen LED Desk Lamp');
    const shopperContext = await signedInContext(browser, shopper.token);
    const shopperPage = await openOrder(shopperContext, orderId);
    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toContain('Awaiting approval');
    const orderList = await shopperContext.newPage();
    await orderList.goto('/orders');
    const row = orderList.getByRole('list', { name: 'Your orders' }).getByRole('listitem').filter({ hasText: orderId });
    await expect.poll(() => row.textContent(), LIVE).toContain('Awaiting approval');

    const consolePage = await operator.newPage();
    await consolePage.goto('/console');
    const queue = consolePage.getByRole('list', { name: 'Approval queue' });
    await queue.getByRole('link', { name: `Order ${orderId}`, exact: true }).waitFor();
    expect(await consolePage.getByRole('link', { name: `Workflow of order ${orderId} in the Temporal UI` }).first().getAttribute('href')).toMatch(
      /workflows\/order_/,
    );
    await inspect(consolePage, 'console');
    await consolePage.getByRole('button', { name: `Approve order ${orderId}` }).click();
    await queue.getByRole('link', { name: `Order ${orderId}`, exact: true }).waitFor({ state: 'detached' });

    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toContain('Completed');
    expect((await timelineOf(shopperPage)).some((t) => t.startsWith('Approved'))).toBe(true);
    // The order list follows too (myOrdersUpdated), without a reload.
    await expect.poll(() => row.textContent(), LIVE).toContain('Completed');
  });

  it('the shopper changes the shipping address while the order is held', async () => {
    const shopper = await apiRegister();
    const orderId = await apiPlaceOrder(shopper.token, 'Organic Cotton T-Shirt');
    const page = await openOrder(await signedInContext(browser, shopper.token), orderId);
    await expect.poll(() => orderStatusOf(page), LIVE).toContain('Awaiting approval');

    await page.getByRole('button', { name: 'Change address…' }).click();
    const form = page.getByRole('form', { name: 'Change shipping address' });
    await form.getByLabel('Street and number').fill('2 Loopback Lane');
    await form.getByLabel('City').fill('Echo');
    await form.getByRole('button', { name: 'Save address' }).click();
    await page.getByText('Address changed.').waitFor();
    await expect.poll(() => page.locator('address').textContent(), LIVE).toContain('2 Loopback Lane');
    await expect.poll(() => timelineOf(page), LIVE).toEqual(expect.arrayContaining([expect.stringMatching(/^Update.*Echo/)]));
  });

  it('operator rejects a held order with a reason the shopper reads', async () => {
    const shopper = await apiRegister();
    const orderId = await apiPlaceOrder(shopper.token, 'Bamboo Cutting Board');
    const shopperPage = await openOrder(await signedInContext(browser, shopper.token), orderId);
    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toContain('Awaiting approval');

    const page = await openOrder(operator, orderId);
    await page.getByRole('button', { name: `Reject order ${orderId}` }).click();
    await page.getByLabel('Reason for rejecting').fill('Address looks fraudulent');
    await page.getByRole('button', { name: 'Confirm rejection' }).click();

    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toContain('Cancelled');
    await expect.poll(() => shopperPage.textContent('main'), LIVE).toContain('Address looks fraudulent');
  });

  it('a permanent payment failure injected by the operator fails the order and the shopper sees the compensation', async () => {
    const shopper = await apiRegister();
    const orderId = await apiPlaceOrder(shopper.token, 'Headlamp 400 Lumen');
    const shopperPage = await openOrder(await signedInContext(browser, shopper.token), orderId);
    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toContain('Awaiting approval');

    const page = await openOrder(operator, orderId);
    await page.getByText('Inject a failure').click();
    await page.getByLabel('Step').selectOption('PAYMENT');
    await page.getByLabel(/^Permanent/).check();
    await inspect(page, 'order-operator');
    await page.getByRole('button', { name: 'Inject failure' }).click();
    await page.getByText(/failure injected into/).waitFor();
    await page.getByRole('button', { name: `Approve order ${orderId}` }).click();

    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toContain('Failed');
    const timeline = await timelineOf(shopperPage);
    expect(timeline.some((t) => t.startsWith('A step failed'))).toBe(true);
    expect(timeline.some((t) => t.startsWith('Undone') && t.includes('went back into stock'))).toBe(true);
    await inspect(shopperPage, 'order-failed');
  });

  it('cancelling after the payment was authorized releases the hold on the card', async () => {
    const shopper = await apiRegister();
    const orderId = await apiPlaceOrder(shopper.token, 'Trail Insulated Bottle');
    const shopperPage = await openOrder(await signedInContext(browser, shopper.token), orderId);
    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toContain('Awaiting approval');

    // Hold the order after the authorization: the shipping step's next attempt outlives its timeout.
    await apiOperator(adminToken, 'simulateFailure', { orderId, step: 'SHIPPING', mode: 'TIMEOUT' });
    await apiOperator(adminToken, 'approveOrder', { orderId });
    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toMatch(/Payment authorized|Shipping/);

    await shopperPage.getByRole('button', { name: 'Cancel order…' }).click();
    await shopperPage.getByLabel('Reason (optional)').fill('Changed my mind');
    await shopperPage.getByRole('button', { name: 'Confirm cancellation' }).click();

    await expect.poll(() => orderStatusOf(shopperPage), LIVE).toContain('Cancelled');
    const timeline = await timelineOf(shopperPage);
    expect(timeline.some((t) => t.includes('held on your card was released'))).toBe(true);
    await expect.poll(() => shopperPage.getByLabel(/^Payment status/).textContent(), LIVE).toBe('Released');
    await inspect(shopperPage, 'order-refunded');
  });

  it('the rewards tier changes after enough completed orders', async () => {
    await setApprovalMode(adminToken, 'NEVER');
    const shopper = await apiRegister();
    const context = await signedInContext(browser, shopper.token);
    const rewards = await context.newPage();
    await rewards.goto('/rewards');
    await rewards.getByRole('heading', { name: /Basic tier · 0 points/ }).waitFor();

    // USD 649 earns 649 points: past SILVER's 500.
    await apiPlaceOrder(shopper.token, 'Oak Standing Desk');
    await rewards.getByRole('heading', { name: /Silver tier · 649 points/ }).waitFor({ timeout: LIVE.timeout });
    await inspect(rewards, 'rewards-silver');
  });
});
