// Every page, reached once the way a person reaches it: by following the site's own links after the
// first page has hydrated. A page whose code fails to load (a missing or broken split of the
// WebAssembly, a script error) fails here.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './support';

/** The site's links a person can follow from the current page: header, page tabs and footer. */
async function followableLinks(page: Page): Promise<{ name: string; href: string }[]> {
  const links = page.getByRole('navigation').or(page.getByRole('contentinfo')).getByRole('link');
  return links.evaluateAll((anchors) =>
    anchors
      .map((a) => ({ name: (a.textContent ?? '').trim(), href: a.getAttribute('href') ?? '' }))
      .filter((link) => link.href.startsWith('/') && link.name !== ''),
  );
}

/** Follows every link reachable from the first page, each once, checking each page renders. */
async function visitEveryPage(page: Page): Promise<string[]> {
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(`${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/pkg/') && response.status() >= 400) {
      failures.push(`${response.url()}: ${response.status()}`);
    }
  });
  const visited = new Set<string>([new URL(page.url()).pathname]);
  await explore(page, visited);
  expect(failures).toEqual([]);
  return [...visited].sort();
}

/** Whether the page is at `href`'s path; a page may keep its own state in the query (the map its view). */
function atPath(href: string): (url: URL) => boolean {
  return (url) => url.pathname === new URL(href, url).pathname;
}

/** Depth first: each unvisited link of this page, the pages beyond it, then back here. */
async function explore(page: Page, visited: Set<string>): Promise<void> {
  const here = page.url();
  for (;;) {
    const next = (await followableLinks(page)).find((link) => !visited.has(link.href));
    if (!next) return;
    visited.add(next.href);
    await page
      .getByRole('navigation')
      .or(page.getByRole('contentinfo'))
      .getByRole('link', { name: next.name, exact: true })
      .first()
      .click();
    await expect(page).toHaveURL(atPath(next.href));
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await explore(page, visited);
    await page.goBack();
    await expect(page).toHaveURL(atPath(here));
  }
}

test('a visitor reaches every public page and a case page through links', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Gửi phản ánh' })).toBeEnabled();
  const visited = await visitEveryPage(page);
  expect(visited).toEqual(expect.arrayContaining(['/', '/map', '/stats', '/open-data', '/open311', '/login']));

  await page.getByRole('navigation').getByRole('link', { name: 'Bản đồ phản ánh', exact: true }).click();
  const firstCase = page.getByRole('main').getByRole('link', { name: /^Mở #\d+/ }).first();
  await firstCase.click();
  await expect(page).toHaveURL(/\/cases\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

const staffPages: [string, string[]][] = [
  ['dan', ['/my/reports', '/my/notices', '/my/claim', '/account']],
  ['tongdai', ['/hotline', '/hotline/calls', '/hotline/verify']],
  ['dieuphoi', ['/staff/screening', '/staff/review', '/staff/map']],
  ['xuly.urenco', ['/staff/agency', '/staff/map', '/my/notices']],
  ['lanhdao', ['/leader', '/staff/map']],
  [
    'quantri',
    [
      '/admin',
      '/staff/map',
      '/admin/categories',
      '/admin/agencies',
      '/admin/areas',
      '/admin/routes',
      '/admin/holidays',
      '/admin/staff',
      '/admin/changes',
      '/admin/access-log',
      '/admin/api-keys',
    ],
  ],
];

for (const [username, pages] of staffPages) {
  test(`${username} reaches every page of the role through links`, async ({ browser }) => {
    const page = await signIn(browser, username);
    const visited = await visitEveryPage(page);
    expect(visited).toEqual(expect.arrayContaining(pages));
  });
}

// The server names a split page's files, and the main module, in a script run once the first frame
// is painted; the head itself names none, on every render (Leptos' own preloads there came and went
// from one render to the next, and would compete with what the first paint needs). Renders a second
// apart: the page cache keeps one for a second.
test('a split page names its files once painted, never in its head', async ({ request }) => {
  for (let render = 0; render < 3; render += 1) {
    const page = await (await request.get('/stats')).text();
    const head = page.slice(0, page.indexOf('</head>'));
    expect(head).not.toMatch(/<link[^>]*href="\/pkg\/(chunk_|split_)[^"]*"/);
    // Nor the main module: it too is fetched once the first frame is painted.
    expect(head).not.toMatch(/<link[^>]*href="\/pkg\/[^"]*\.wasm"/);
    expect(page).toMatch(/for \(const href of \[[^\]]*"\/pkg\/split_public_pages[^"]*\.wasm"/);
    await new Promise((resolve) => setTimeout(resolve, 1100));
  }
  // The report form compiles its module as it downloads, from a script at the top of its head,
  // before the styles: its form answers sooner so.
  const form = await (await request.get('/')).text();
  const formHead = form.slice(0, form.indexOf('</head>'));
  const compile = formHead.search(/WebAssembly\.compileStreaming\(fetch\("\/pkg\/[^"]*\.wasm"\)\)/);
  expect(compile).toBeGreaterThan(0);
  expect(compile).toBeLessThan(formHead.indexOf('rel="stylesheet"'));
});
