import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, BASE_URL, DEMO_ADMIN, launch, newContext, inspect, setApprovalMode, uniqueEmail } from './harness';

/** Marks the document, so a later check can tell that the page was never reloaded. */
async function markDocument(page: Page) {
  await page.evaluate(() => document.documentElement.setAttribute('data-e2e-marker', 'same-document'));
}

async function stillSameDocument(page: Page) {
  return (await page.evaluate(() => document.documentElement.getAttribute('data-e2e-marker'))) === 'same-document';
}

describe.skipIf(!BASE_URL)('shopper', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
    await setApprovalMode(await apiLogin(DEMO_ADMIN.email, DEMO_ADMIN.password), 'ABOVE_THRESHOLD');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('registers, browses, fills the cart, checks out and watches the order reach COMPLETED live', async () => {
    const page = await (await newContext(browser)).newPage();

    await page.goto('/register');
    await page.getByLabel('Name').fill('Ada Shopper');
    await page.getByLabel('Email').fill(uniqueEmail());
    await page.getByLabel(/^Password/).fill('correct-horse-battery');
    await inspect(page, 'register');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    await page.getByLabel('Search products').fill('coffee');
    await page.getByRole('link', { name: 'Pour-Over Coffee Set' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pour-Over Coffee Set' }).waitFor();
    await page.getByRole('button', { name: 'Add to cart: Pour-Over Coffee Set' }).click();
    await page.getByText('Added to cart').waitFor();
    await inspect(page, 'product-signed-in');

    await page.getByRole('link', { name: /^Cart, 1 item/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Your cart' }).waitFor();
    await page.getByRole('button', { name: 'Increase quantity of Pour-Over Coffee Set' }).click();
    const totals = page.getByLabel('Cart totals');
    await expect.poll(() => totals.textContent()).toContain('$78.00');
    await inspect(page, 'cart');

    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByLabel('Full name').fill('Ada Shopper');
    await page.getByLabel('Street and number').fill('1 Loop Road');
    await page.getByLabel('City').fill('Localhost');
    await page.getByLabel('Postal code').fill('12700');
    await page.getByLabel('Country code').fill('us');
    await inspect(page, 'checkout');
    await page.getByRole('button', { name: 'Place order' }).click();

    await page.waitForURL(/\/orders\/ord_/);
    await markDocument(page);
    const status = page.getByRole('status', { name: 'Order status' });
    await expect.poll(() => status.textContent(), { timeout: 120_000, interval: 250 }).toContain('Completed');
    expect(await stillSameDocument(page)).toBe(true);
    // Placing the order emptied the cart, and the header knows.
    await page.getByRole('link', { name: 'Cart, 0 items' }).waitFor();

    const timeline = await page.getByRole('list', { name: 'Order timeline' }).getByRole('listitem').allTextContents();
    for (const step of ['Received', 'Items reserved', 'Payment authorized', 'Shipped', 'Delivered', 'Completed']) {
      expect(timeline.some((t) => t.startsWith(step))).toBe(true);
    }
    await inspect(page, 'order-completed');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('list', { name: 'Your orders' }).getByRole('listitem').first().waitFor();
    await inspect(page, 'orders');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rewards' }).click();
    await page.getByRole('heading', { name: /Basic tier · 78 points/ }).waitFor();
    await inspect(page, 'rewards');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('list', { name: 'Notifications' }).getByRole('listitem').first().waitFor();
    await inspect(page, 'notifications');
  });

  it('signs out and back in', async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto('/orders');
    await page.waitForURL(/\/login\?next=%2Forders/);
    await page.getByLabel('Email').fill(DEMO_ADMIN.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await inspect(page, 'login-error');
    await page.getByLabel('Password').fill(DEMO_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/orders$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
  });
});
