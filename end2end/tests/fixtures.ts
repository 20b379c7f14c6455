// Every spec runs under the site's Content-Security-Policy: any violation a page reports fails the test,
// whichever browser context it happened in.
import { test as base, expect, type Browser, type BrowserContext } from '@playwright/test';

export * from '@playwright/test';

/** Violations reported since the current test began. */
const violations: string[] = [];
const watched = new WeakSet<BrowserContext>();

/** Collects the context's CSP violations: the browser's own console report and the page's event. */
async function watch(context: BrowserContext): Promise<BrowserContext> {
  if (watched.has(context)) return context;
  watched.add(context);
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${message.location().url}: ${message.text()}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  return context;
}

/** The browser, its new contexts (and the pages it opens directly) watched from their start. */
function watching(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => watch(await newContext(options));
  return browser;
}

export const test = base.extend<{ cspViolations: void }, { watchedBrowser: Browser }>({
  watchedBrowser: [async ({ browser }, use) => use(watching(browser)), { scope: 'worker', auto: true }],
  context: async ({ context }, use) => use(await watch(context)),
  cspViolations: [
    async ({}, use) => {
      violations.length = 0;
      await use();
      expect(violations, 'the page ran into its Content-Security-Policy').toEqual([]);
    },
    { auto: true },
  ],
});
