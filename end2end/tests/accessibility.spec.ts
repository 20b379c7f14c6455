// WCAG 2.1 AA as axe-core checks it: every page a visitor and each role reaches through the site's
// links, on a phone and on a desktop, with no critical and no serious violation. Each page checked
// is also kept as a screenshot in end2end/screenshots/, the suite's record of how every page looks.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { join } from 'node:path';
import { signInOn } from './support';

const VIEWPORTS = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false },
];

/** Who reads the pages: a visitor (no account) and one account of each role. */
const READERS = ['', 'dan', 'tongdai', 'dieuphoi', 'xuly.urenco', 'lanhdao', 'quantri'];

/** The site's own pages the current page links to from its navigation and footer. */
async function sitePaths(page: Page): Promise<string[]> {
  // By their markup, so that a phone's folded menu still lists its links.
  const links = page.locator('header nav a, footer a');
  const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.filter((href) => href.startsWith('/'));
}

/** The critical and serious violations on the page as it stands, one line each. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${new URL(page.url()).pathname}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Where a page's screenshot is kept: one folder per device, one file per reader and page. */
function screenshotPath(device: string, name: string): string {
  return join(__dirname, '..', 'screenshots', device, `${name}.png`);
}

async function readerPage(browser: Browser, reader: string, device: (typeof VIEWPORTS)[number]): Promise<Page> {
  const { viewport, isMobile, hasTouch } = device;
  const page = await (await browser.newContext({ viewport, isMobile, hasTouch })).newPage();
  if (reader) await signInOn(page, reader);
  else await page.goto('/');
  return page;
}

for (const device of VIEWPORTS) {
  for (const reader of READERS) {
    test(`${reader || 'a visitor'} on a ${device.name}: every page passes axe`, async ({ browser }) => {
      const page = await readerPage(browser, reader, device);
      // Every page reached through the navigation and footer links, breadth first.
      const paths = await sitePaths(page);
      // Pages reached from lists rather than the navigation: a case page, scorecards, a case's workspace.
      if (!reader) paths.push('/cases/1', '/agencies/urenco', '/areas/dong-hoi');
      // Pages reached from the sign-in page and from links in messages (here with a link that opens nothing).
      if (!reader) paths.push('/forgot-password', `/reset-password/${'0'.repeat(64)}`, `/verify-email/${'0'.repeat(64)}`);
      if (reader === 'dieuphoi') paths.push('/staff/cases/1');
      // The console's own pages are reached through its tabs, which the header does not hold.
      if (reader === 'quantri') paths.push('/admin/staff', '/admin/access-log');
      const seen = new Set<string>();
      const found: string[] = [];
      for (let next = paths.shift(); next !== undefined; next = paths.shift()) {
        if (seen.has(next)) continue;
        seen.add(next);
        await page.goto(next);
        await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
        // Pages finish loading their data after hydration; axe reads the page as a person would see it.
        await page.waitForLoadState('networkidle');
        found.push(...(await violations(page)));
        const name = `${reader || 'visitor'}${next.replace(/[^a-z0-9]+/gi, '-')}`.replace(/-$/, '-home');
        await page.screenshot({ path: screenshotPath(device.name, name), fullPage: true });
        paths.push(...(await sitePaths(page)).filter((link) => !seen.has(link)));
      }
      expect(found).toEqual([]);
    });
  }
}
