import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, launch, newContext, inspect, WIDTHS } from './harness';

describe.skipIf(!BASE_URL)('catalog', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists the seeded products, searches, filters by category and loads more', async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto('/');
    const items = page.getByRole('list', { name: 'Products' }).getByRole('listitem');
    await items.first().waitFor();
    expect(await items.count()).toBeGreaterThan(0);
    await inspect(page, 'catalog');

    // Keyboard: the first Tab reaches the skip link, which jumps to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main');

    const more = page.getByRole('button', { name: 'Load more' });
    if (await more.isVisible()) {
      const before = await items.count();
      await more.click();
      await expect.poll(() => items.count()).toBeGreaterThan(before);
    }

    await page.getByLabel('Search products').fill('skillet');
    await expect.poll(() => items.count()).toBe(1);
    await expect.poll(() => items.first().textContent()).toContain('Cast Iron Skillet');
    expect(new URL(page.url()).searchParams.get('q')).toBe('skillet');

    await page.getByLabel('Search products').fill('');
    await page.getByLabel('Category').selectOption('Kitchen');
    await expect.poll(() => items.count()).toBe(4);
    for (const text of await items.allTextContents()) expect(text).toContain('Kitchen');

    await page.getByLabel('Search products').fill('no such thing at all');
    await page.getByText('No products match').waitFor();
  });

  it('opens a product page from the list, at phone width too', async () => {
    const page = await (await newContext(browser, WIDTHS.phone)).newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Oak Standing Desk' }).click();
    await page.getByRole('heading', { level: 1, name: 'Oak Standing Desk' }).waitFor();
    // A client-side navigation moves focus to the new page's heading.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Oak Standing Desk');
    expect(await page.getByRole('link', { name: 'Sign in to buy' }).isVisible()).toBe(true);
    await inspect(page, 'product');
  });
});
