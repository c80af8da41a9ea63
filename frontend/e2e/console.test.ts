import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiLogin,
  apiOperator,
  apiPlaceOrder,
  apiRegister,
  BASE_URL,
  DEMO_ADMIN,
  graphql,
  inspect,
  launch,
  setApprovalMode,
  signedInContext,
  WIDTHS,
} from './harness';

const LIVE = { timeout: 120_000, interval: 500 };

type Status = 'AWAITING_APPROVAL' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/** The orders' statuses, read as an operator. */
async function statuses(adminToken: string, ids: readonly string[]): Promise<Record<string, string>> {
  const data = await graphql<{ nodes: ({ id: string; status: string } | null)[] }>(
    'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id status } } }',
    { ids },
    adminToken,
  );
  return Object.fromEntries(data.nodes.filter((n) => n !== null).map((n) => [n.id, n.status]));
}

/** Waits until every order stands in its status. */
async function waitFor(adminToken: string, want: Record<string, Status>): Promise<void> {
  await expect.poll(async () => statuses(adminToken, Object.keys(want)), LIVE).toEqual(want);
}

interface DashboardFigures {
  generatedAt: string;
  totals: { completed: number; failed: number; cancelled: number; retries: number; compensations: number; stockReleases: number };
  ordersByStatus: { status: string; count: number }[];
  timeToComplete: { count: number };
}

async function apiDashboard(adminToken: string): Promise<DashboardFigures> {
  const data = await graphql<{ operationsDashboard: DashboardFigures }>(
    `{ operationsDashboard { generatedAt totals { completed failed cancelled retries compensations stockReleases }
       ordersByStatus { status count } timeToComplete { count } } }`,
    {},
    adminToken,
  );
  return data.operationsDashboard;
}

/** The numbers a table shows, row by row: its header cell, then its cells. */
async function tableRows(page: Page, name: RegExp): Promise<string[][]> {
  const table = page.getByRole('table', { name });
  return table.evaluate((t) => Array.from((t as HTMLTableElement).rows, (r) => Array.from(r.cells, (c) => (c.textContent ?? '').trim())));
}

/** What the dashboard page shows: every chart's numbers, from the tables behind "Show the numbers". */
async function shown(page: Page) {
  for (const s of await page.getByText('Show the numbers').all()) {
    if (!(await s.evaluate((el) => (el.parentElement as HTMLDetailsElement).open))) await s.click();
  }
  const byStatus: Record<string, number> = {};
  for (const [label, n] of (await tableRows(page, /^Orders by status now/)).slice(1)) if (label) byStatus[label] = Number(n);
  const ended = await tableRows(page, /^Orders ended per minute/);
  const trouble = await tableRows(page, /^Retries and compensations per minute/);
  const total = (rows: string[][]) => rows.at(-1)!.slice(1).map(Number);
  const sumOfMinutes = (rows: string[][]) =>
    rows.slice(1, -1).reduce((sum, r) => sum.map((v, i) => v + Number(r[i + 1])), total(rows).map(() => 0));
  const [completed, failed, cancelled] = total(ended);
  const [retries, compensations] = total(trouble);
  return {
    byStatus,
    completed,
    failed,
    cancelled,
    retries,
    compensations,
    endedAddsUp: JSON.stringify(sumOfMinutes(ended)) === JSON.stringify(total(ended)),
    troubleAddsUp: JSON.stringify(sumOfMinutes(trouble)) === JSON.stringify(total(trouble)),
    measured: Number((await tableRows(page, /^Time to complete/)).find((r) => r[0] === 'Orders measured')?.[1]),
  };
}

/** The page does not scroll sideways. */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe.skipIf(!BASE_URL)('operations console', () => {
  let browser: Browser;
  let adminToken: string;
  let operator: BrowserContext;

  beforeAll(async () => {
    browser = await launch();
    adminToken = await apiLogin(DEMO_ADMIN.email, DEMO_ADMIN.password);
    operator = await signedInContext(browser, adminToken);
  });

  afterAll(async () => {
    if (adminToken) await setApprovalMode(adminToken, 'ABOVE_THRESHOLD');
    await browser?.close();
  });

  it('the dashboard counts what orders placed through the API did', async () => {
    // The figures before, computed after this test began (a server keeps a
    // dashboard for 5 s): what follows must add exactly this test's orders.
    const began = Date.now();
    let before = await apiDashboard(adminToken);
    await expect
      .poll(async () => {
        before = await apiDashboard(adminToken);
        return Date.parse(before.generatedAt) >= began;
      }, LIVE)
      .toBe(true);
    const count = (status: string) => before.ordersByStatus.find((s) => s.status === status)?.count ?? 0;

    await setApprovalMode(adminToken, 'ALWAYS');
    const shopper = await apiRegister('Dashboard Shopper');
    const plain = [await apiPlaceOrder(shopper.token, 'Lumen LED Desk Lamp'), await apiPlaceOrder(shopper.token, 'Organic Cotton T-Shirt')];
    const retried = await apiPlaceOrder(shopper.token, 'Bamboo Cutting Board');
    const failed = await apiPlaceOrder(shopper.token, 'Headlamp 400 Lumen');
    const all = [...plain, retried, failed];
    await waitFor(adminToken, Object.fromEntries(all.map((id) => [id, 'AWAITING_APPROVAL'])));
    // Two failed payment attempts, then the third succeeds: two retries.
    await apiOperator(adminToken, 'simulateFailure', { orderId: retried, step: 'PAYMENT', mode: 'TRANSIENT' });
    // A payment that fails for good: the stock goes back, the order fails.
    await apiOperator(adminToken, 'simulateFailure', { orderId: failed, step: 'PAYMENT', mode: 'PERMANENT' });
    for (const id of all) await apiOperator(adminToken, 'approveOrder', { orderId: id });
    await waitFor(adminToken, { [plain[0]!]: 'COMPLETED', [plain[1]!]: 'COMPLETED', [retried]: 'COMPLETED', [failed]: 'FAILED' });

    const page = await operator.newPage();
    await page.goto('/console');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operations dashboard' }).waitFor();
    const want = {
      completed: before.totals.completed + 3,
      failed: before.totals.failed + 1,
      cancelled: before.totals.cancelled,
      retries: before.totals.retries + 2,
      compensations: before.totals.compensations + 1,
      measured: before.timeToComplete.count + 3,
      byCompleted: count('COMPLETED') + 3,
      byFailed: count('FAILED') + 1,
      byAwaiting: count('AWAITING_APPROVAL'),
      endedAddsUp: true,
      troubleAddsUp: true,
    };
    // The page asks again every 10 s; Refresh now does not wait for it.
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh now' }).click();
        const s = await shown(page);
        return {
          completed: s.completed,
          failed: s.failed,
          cancelled: s.cancelled,
          retries: s.retries,
          compensations: s.compensations,
          measured: s.measured,
          byCompleted: s.byStatus['Completed'],
          byFailed: s.byStatus['Failed'],
          byAwaiting: s.byStatus['Awaiting approval'],
          endedAddsUp: s.endedAddsUp,
          troubleAddsUp: s.troubleAddsUp,
        };
      }, LIVE)
      .toEqual(want);

    // The charts are images named by their summaries, which say the same.
    await page.getByRole('img', { name: new RegExp(`^Orders ended per minute over the last 60 minutes: ${want.completed} completed, ${want.failed} failed`) }).waitFor();
    await page.getByRole('img', { name: new RegExp(`^Orders by status now, .*${want.byCompleted} completed`) }).waitFor();
    await page.getByRole('img', { name: new RegExp(`^Retries and compensations per minute .*: ${want.retries} retries, ${want.compensations} compensations`) }).waitFor();
    const region = page.getByRole('region', { name: 'Totals of the last 60 minutes' });
    expect(await region.locator('.tile', { hasText: 'Time to complete, p50' }).locator('.tile__value').textContent()).toMatch(/\d+(\.\d)? (s|min)/);

    await inspect(page, 'console-dashboard');
    for (const width of Object.values(WIDTHS)) {
      await page.setViewportSize({ width, height: 900 });
      expect(await fitsWidth(page), `the dashboard scrolls sideways at ${width}px`).toBe(true);
    }
  });

  it('the orders table searches by ID and e-mail, filters by status, sorts and pages, at 1280 and 390 px', async () => {
    await setApprovalMode(adminToken, 'ALWAYS');
    const shopper = await apiRegister('Table Shopper');
    const other = await apiRegister('Other Shopper');
    const products = ['Pour-Over Coffee Set', 'Lumen LED Desk Lamp', 'Pebble Bluetooth Speaker', 'Bamboo Cutting Board'];
    const mine: string[] = [];
    for (let i = 0; i < 12; i++) mine.push(await apiPlaceOrder(shopper.token, products[i % products.length]!, 1 + (i % 3)));
    const theirs = await apiPlaceOrder(other.token, 'Trail Insulated Bottle');
    await waitFor(adminToken, Object.fromEntries([...mine, theirs].map((id) => [id, 'AWAITING_APPROVAL'])));
    const rejected = mine[0]!;
    const rejectedOk = await graphql<{ rejectOrder: { errors: { message: string }[] } }>(
      'mutation($input: RejectOrderInput!) { rejectOrder(input: $input) { errors { message } } }',
      { input: { orderId: rejected, reason: 'Browser test' } },
      adminToken,
    );
    expect(rejectedOk.rejectOrder.errors).toEqual([]);
    await waitFor(adminToken, { [rejected]: 'CANCELLED' });
    const totals = await graphql<{ nodes: { id: string; total: { amount: number } }[] }>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id total { amount } } } }',
      { ids: mine },
      adminToken,
    );
    // The server's rule (orderly.OrderSort): by amount, then by ID, both one way.
    const byTotal = totals.nodes.map((n) => ({ id: n.id, amount: n.total.amount }));
    const dearestFirst = [...byTotal].sort((a, b) => b.amount - a.amount || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0)).map((o) => o.id);

    const page = await operator.newPage();
    const table = page.getByRole('table', { name: /^Orders,/ });
    const count = page.locator('.orders-table__count');
    const ids = () => table.getByRole('link', { name: /^ord_/ }).allTextContents();
    const search = async (text: string) => {
      await page.getByLabel('Order ID or customer e-mail').fill(text);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
    };
    const pages = page.getByRole('navigation', { name: 'Pages of orders' });

    for (const width of [WIDTHS.desktop, WIDTHS.phone]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto('/console?size=10');
      await page.getByRole('heading', { name: 'All orders' }).waitFor();

      // By e-mail (in capitals: addresses are found whatever their case): 12 orders, on two pages.
      await search(shopper.email.toUpperCase());
      await expect.poll(() => count.textContent(), LIVE).toBe('Orders 1–10 of 12');
      const first = await ids();
      await pages.getByRole('button', { name: 'Next page' }).click();
      await expect.poll(() => count.textContent(), LIVE).toBe('Orders 11–12 of 12');
      const second = await ids();
      expect([...first, ...second].sort()).toEqual([...mine].sort());
      await pages.getByRole('button', { name: 'Previous page' }).click();
      await expect.poll(() => ids(), LIVE).toEqual(first);

      // Sorted by total, both ways, across the pages.
      await page.getByLabel('Sort').selectOption({ label: 'Total, highest first' });
      await expect.poll(() => ids(), LIVE).toEqual(dearestFirst.slice(0, 10));
      await pages.getByRole('button', { name: 'Next page' }).click();
      await expect.poll(() => ids(), LIVE).toEqual(dearestFirst.slice(10));
      await page.getByLabel('Sort').selectOption({ label: 'Total, lowest first' });
      await expect.poll(() => ids(), LIVE).toEqual([...dearestFirst].reverse().slice(0, 10));
      expect(await table.getByRole('columnheader', { name: 'Total' }).getAttribute('aria-sort')).toBe('ascending');

      // A status filter within the search.
      await page.getByLabel('Status').selectOption({ label: 'Cancelled' });
      await expect.poll(() => ids(), LIVE).toEqual([rejected]);
      await page.getByLabel('Status').selectOption({ label: 'Awaiting approval' });
      await expect.poll(() => count.textContent(), LIVE).toBe('Orders 1–10 of 11');
      await page.getByLabel('Status').selectOption({ label: 'All statuses' });
      await page.getByLabel('Sort').selectOption({ label: 'Newest first' });

      // By order ID: the one order, whoever placed it.
      await search(theirs);
      await expect.poll(() => ids(), LIVE).toEqual([theirs]);
      await expect.poll(() => table.textContent(), LIVE).toContain(other.email);
      await expect.poll(() => count.textContent(), LIVE).toBe('Orders 1–1 of 1');
      await search('nobody-at-all@example.test');
      await expect.poll(() => count.textContent(), LIVE).toBe('No orders match.');
      await search('not-an-address@');
      await page.getByRole('alert').filter({ hasText: 'valid email' }).waitFor();

      await search(shopper.email);
      await expect.poll(() => count.textContent(), LIVE).toBe('Orders 1–10 of 12');
      expect(await fitsWidth(page), `the orders table scrolls sideways at ${width}px`).toBe(true);
      // Wide, a row is a table row; narrow, a card that stacks its cells.
      const row = table.locator('tbody tr').first();
      expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe(width === WIDTHS.phone ? 'grid' : 'table-row');
      if (width === WIDTHS.desktop) await inspect(page, 'console-orders');
    }

    // Leave nothing running: the held orders are cancelled.
    for (const id of [...mine.slice(1), theirs]) {
      await graphql('mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { errors { message } } }', { input: { orderId: id } }, adminToken);
    }
  });
});
