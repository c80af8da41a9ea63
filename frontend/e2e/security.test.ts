import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, cspViolations, launch, newContext } from './harness';

describe.skipIf(!BASE_URL)('content security policy', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('serves the app under a policy without inline scripts, which the browser enforces', async () => {
    const page = await (await newContext(browser)).newPage();
    const response = await page.goto('/');
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(policy).toMatch(/(^|; )connect-src 'self'(;|$)/);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    await page.getByRole('list', { name: 'Products' }).getByRole('listitem').first().waitFor();
    expect(await cspViolations(page)).toEqual([]);

    // The policy is in force: an inline script does not run, and says so.
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => cspViolations(page)).toEqual([expect.stringContaining('script-src')]);
  });

  it('serves GraphiQL at /playground under its own policy, which admits its inline script', async () => {
    const page = await (await newContext(browser)).newPage();
    const response = await page.goto('/playground');
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toMatch(/(^|; )script-src https:\/\/cdn\.jsdelivr\.net 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    // GraphiQL's code is on its CDN, which these tests cannot reach (every
    // request beyond loopback is aborted), so GraphiQL itself does not
    // start here. What is checked is that nothing the page holds, its
    // inline script and styles above all, is what its policy refuses.
    await page.waitForLoadState('load');
    expect(await cspViolations(page)).toEqual([]);
  });
});
