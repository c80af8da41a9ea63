import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The running Orderly stack under test. `make test-browser` starts one
 * (`go run ./cmd/orderly-dev -ephemeral -exec …`) and sets it; by hand, point
 * it at `make run`: ORDERLY_BASE_URL=http://127.0.0.1:8080 npm run test:browser.
 */
export const BASE_URL = process.env['ORDERLY_BASE_URL']?.replace(/\/$/, '');

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'screenshots');

/** Demo accounts of a development stack (see server/config.go). */
export const DEMO_ADMIN = {
  email: 'admin@orderly.dev',
  password: process.env['DEMO_ADMIN_PASSWORD'] ?? 'orderly-admin',
};

/** The order page's status badge, as a shopper or an operator reads it. */
export const orderStatusOf = (page: Page) => page.getByRole('status', { name: 'Order status' }).textContent();

export const WIDTHS = { desktop: 1280, phone: 390 } as const;

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh temporary profile (user-data-dir).
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}

/**
 * A fresh browser context (own cookies and storage, so one per user) that
 * may only talk to loopback addresses: anything else is aborted.
 */
export async function newContext(browser: Browser, width: number = WIDTHS.desktop): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width, height: 900 } });
  await context.route('**/*', (route) => (isLoopback(route.request().url()) ? route.continue() : route.abort()));
  // Every Content-Security-Policy violation of every document is kept for
  // cspViolations. Init scripts run through the DevTools protocol, so the
  // policy under test does not block this one.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/** The Content-Security-Policy violations the page's document reported so far. */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core on the page and returns its serious and critical WCAG A/AA violations. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, not added as an inline
  // <script>, which the app's Content-Security-Policy rightly refuses.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/**
 * Looks at the page as people will, at both widths: saves a full-page
 * screenshot to artifacts/screenshots/<name>-<width>.png and fails on any
 * serious accessibility violation axe-core finds, and on any violation of
 * the Content-Security-Policy the page reported. Restores the width.
 */
export async function inspect(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? { width: WIDTHS.desktop, height: 900 };
  for (const width of Object.values(WIDTHS)) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true, animations: 'disabled' });
    const violations = await axeViolations(page);
    if (violations.length) throw new Error(`${name} at ${width}px is not accessible:\n${violations.join('\n')}`);
  }
  const csp = await cspViolations(page);
  if (csp.length) throw new Error(`${name} violates its Content-Security-Policy:\n${csp.join('\n')}`);
  await page.setViewportSize(original);
}

/** A unique, valid e-mail address for a throwaway shopper. */
export function uniqueEmail(prefix = 'shopper'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

/** Calls the API directly, for setup that is not what a test is about. */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(`${BASE_URL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (!res.ok || body.errors?.length || !body.data) {
    throw new Error(`graphql ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

/** Signs in through the API and returns the token. */
export async function apiLogin(email: string, password: string): Promise<string> {
  const data = await graphql<{ login: { token: string | null; errors: { message: string }[] } }>(
    'mutation($input: LoginInput!) { login(input: $input) { token errors { message } } }',
    { input: { email, password } },
  );
  if (!data.login.token) throw new Error(`login ${email}: ${data.login.errors.map((e) => e.message).join('; ')}`);
  return data.login.token;
}

/** Sets the approval mode (for tests that need orders held, or not). */
export async function setApprovalMode(adminToken: string, mode: 'ALWAYS' | 'NEVER' | 'ABOVE_THRESHOLD'): Promise<void> {
  await graphql(
    'mutation($input: UpdateApprovalSettingsInput!) { updateApprovalSettings(input: $input) { errors { message } } }',
    { input: { mode } },
    adminToken,
  );
}

/** Registers a throwaway shopper through the API and returns its token. */
export async function apiRegister(name = 'Test Shopper'): Promise<{ email: string; password: string; token: string }> {
  const email = uniqueEmail();
  const password = 'correct-horse-battery';
  const data = await graphql<{ register: { token: string | null; errors: { message: string }[] } }>(
    'mutation($input: RegisterInput!) { register(input: $input) { token errors { message } } }',
    { input: { email, password, name } },
  );
  if (!data.register.token) throw new Error(`register: ${data.register.errors.map((e) => e.message).join('; ')}`);
  return { email, password, token: data.register.token };
}

/** A context whose pages start signed in with the token (the app keeps its session in localStorage). */
export async function signedInContext(browser: Browser, token: string, width?: number): Promise<BrowserContext> {
  const context = await newContext(browser, width);
  await context.addInitScript((t) => {
    if (!window.localStorage.getItem('orderly.session')) {
      window.localStorage.setItem('orderly.session', JSON.stringify({ token: t, expiresAt: null }));
    }
  }, token);
  return context;
}

/** Fills the cart with units of the product whose name matches, and places the order; returns its ID. */
export async function apiPlaceOrder(token: string, productName: string, quantity = 1): Promise<string> {
  const found = await graphql<{ products: { edges: { node: { id: string } }[] } }>(
    'query($search: String) { products(first: 1, search: $search) { edges { node { id } } } }',
    { search: productName },
  );
  const productId = found.products.edges[0]?.node.id;
  if (!productId) throw new Error(`no product matches ${productName}`);
  const added = await graphql<{ addToCart: { errors: { message: string }[] } }>(
    'mutation($input: AddToCartInput!) { addToCart(input: $input) { errors { message } } }',
    { input: { productId, quantity } },
    token,
  );
  if (added.addToCart.errors.length) throw new Error(`addToCart: ${added.addToCart.errors[0]?.message}`);
  const placed = await graphql<{ placeOrder: { order: { id: string } | null; errors: { message: string }[] } }>(
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { message } } }',
    {
      input: {
        idempotencyKey: `e2e-${Date.now()}-${Math.random()}`,
        shippingAddress: { name: 'Test Shopper', line1: '1 Loop Road', city: 'Localhost', postalCode: '12700', country: 'US' },
      },
    },
    token,
  );
  const id = placed.placeOrder.order?.id;
  if (!id) throw new Error(`placeOrder: ${placed.placeOrder.errors.map((e) => e.message).join('; ')}`);
  return id;
}

/** Operator actions through the API. */
export async function apiOperator(adminToken: string, mutation: 'approveOrder' | 'simulateFailure', input: Record<string, unknown>) {
  const inputType = mutation === 'approveOrder' ? 'ApproveOrderInput' : 'SimulateFailureInput';
  const data = await graphql<Record<string, { errors: { message: string }[] }>>(
    `mutation($input: ${inputType}!) { ${mutation}(input: $input) { errors { message } } }`,
    { input },
    adminToken,
  );
  const errors = data[mutation]?.errors ?? [];
  if (errors.length) throw new Error(`${mutation}: ${errors.map((e) => e.message).join('; ')}`);
}
