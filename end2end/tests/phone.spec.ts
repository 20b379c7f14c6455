// On a 390 × 844 phone, as a visitor and as each role: no page is wider than the screen, the header is
// one line of at most 64 px, and every navigation target opens its page by a real tap.
import { expect, test, type Page } from '@playwright/test';
import { signInOn } from './support';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const READERS = ['', 'dan', 'tongdai', 'dieuphoi', 'xuly.urenco', 'lanhdao', 'quantri'];

test.use(PHONE);

/** The site's pages the header's navigation links to, folded menu or not. */
async function menuPaths(page: Page): Promise<string[]> {
  const hrefs = await page.locator('header nav a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
  return [...new Set(hrefs.filter((href) => href.startsWith('/')))];
}

for (const reader of READERS) {
  test(`${reader || 'a visitor'} on a phone: pages fit, the header is one line, and every menu link opens by a tap`, async ({ page }) => {
    if (reader) await signInOn(page, reader);
    else await page.goto('/');
    const paths = await menuPaths(page);
    expect(paths.length).toBeGreaterThan(2);

    // Every page reached through any navigation (the menu, the admin console's tabs, the area
    // scorecards) and the footer, breadth first.
    const queue = [...paths];
    const seen = new Set<string>();
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (seen.has(next)) continue;
      seen.add(next);
      await page.goto(next);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${next} is ${width} px wide`).toBeLessThanOrEqual(390);
      const header = await page.locator('header').boundingBox();
      expect(header?.height ?? 999, `${next}'s header`).toBeLessThanOrEqual(64);
      const links = await page.locator('nav a, footer a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
      queue.push(...links.filter((href) => href.startsWith('/') && !seen.has(href)));
    }

    // Each link, tapped in the opened menu, opens its page; the menu folds again behind it.
    await page.goto('/stats');
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Menu' });
    for (const path of paths) {
      await expect(menu).toHaveAttribute('aria-expanded', 'false');
      // A tap before the page has hydrated does nothing; a person taps again.
      await expect(async () => {
        if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.tap();
        await expect(menu).toHaveAttribute('aria-expanded', 'true', { timeout: 1_000 });
      }).toPass();
      await nav.locator(`a[href="${path}"]`).tap();
      await expect(page).toHaveURL((url) => url.pathname === path);
      await expect(nav).toBeHidden();
    }
  });
}
