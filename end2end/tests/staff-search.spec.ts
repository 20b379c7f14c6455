// Search in the staff queues and on the staff map, the way staff use it on a phone and on a desktop: a
// coordinator types words without diacritics and the screening queue keeps the matching report, the
// search survives a reload, a search that matches nothing says so; an officer of another agency finds
// nothing of that report, in their queue or on their map, while the agency it was routed to finds it.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser, type Page } from './fixtures';
import { signInOn, SITE_ORIGIN } from './support';

const DEVICES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false },
];

/** A word no other report holds, so that a search for it finds one report only. */
function uniqueWord(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Files a report through the public API, as a client bypassing the form would; answers its number. */
async function fileReport(request: APIRequestContext, title: string): Promise<number> {
  const response = await request.post('/api/submit_case', {
    headers: { origin: SITE_ORIGIN },
    data: {
      input: {
        submission_key: `e2e-search-${uniqueWord()}`,
        category: 'environment',
        title,
        description: 'Cột điện bê tông nghiêng hẳn về phía nhà dân sau trận gió lớn đêm qua.',
        lat: 17.4689,
        lon: 106.6222,
      },
    },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).id as number;
}

async function personOn(browser: Browser, device: (typeof DEVICES)[number], username: string): Promise<Page> {
  const { viewport, isMobile, hasTouch } = device;
  const page = await (await browser.newContext({ viewport, isMobile, hasTouch })).newPage();
  await signInOn(page, username);
  return page;
}

/** Types `words` into the page's staff search box labelled `label` and sends them. */
async function searchFor(page: Page, label: string, words: string): Promise<void> {
  const box = page.getByRole('search').filter({ has: page.getByLabel(label) });
  const button = box.getByRole('button', { name: 'Tìm', exact: true });
  await expect(button).toBeEnabled();
  await box.getByLabel(label).fill(words);
  await button.click();
}

/** The critical and serious violations axe finds on the page as it stands. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const QUEUE_LABEL = 'Tìm trong danh sách này';
const MAP_LABEL = 'Tìm phản ánh trên bản đồ';

for (const device of DEVICES) {
  test(`on a ${device.name}: staff search their queues and map within their own scope`, async ({ browser, request }) => {
    const word = uniqueWord();
    const title = `Cột điện nghiêng sát nhà dân ${word}`;
    const id = await fileReport(request, title);
    const typed = `cot dien nghieng ${word}`;

    // The coordinator types the words without diacritics; the screening queue keeps the report.
    const coordinator = await personOn(browser, device, 'dieuphoi');
    // New reports reach the search within about a second.
    await expect
      .poll(async () => (await (await coordinator.request.get(`/api/staff/screening?q=${encodeURIComponent(typed)}`)).json()).items.length)
      .toBe(1);
    await coordinator.goto('/staff/screening');
    await expect(coordinator.getByRole('heading', { name: 'Phản ánh chờ tiếp nhận' })).toBeVisible();
    await searchFor(coordinator, QUEUE_LABEL, typed);
    await expect(coordinator).toHaveURL(/[?&]q=cot/);
    const rows = coordinator.getByRole('row').filter({ has: coordinator.getByRole('cell', { name: String(id), exact: true }) });
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText(title);
    await expect(coordinator.getByRole('row')).toHaveCount(2);
    // The words typed without diacritics are marked in the title as it is written.
    await expect(rows.locator('mark')).toHaveText(['Cột', 'điện', 'nghiêng', word]);

    // The search is the page's address: a reload shows the same list, the box still holding the words.
    await coordinator.reload();
    await expect(coordinator.getByLabel(QUEUE_LABEL)).toHaveValue(typed);
    await expect(rows).toHaveCount(1);
    await coordinator.waitForLoadState('networkidle');
    expect(await violations(coordinator)).toEqual([]);

    // Words nothing holds: the list says so.
    await searchFor(coordinator, QUEUE_LABEL, `khong co ${word}x`);
    await expect(coordinator.getByRole('status').filter({ hasText: 'Không có phản ánh nào khớp với' })).toBeVisible();
    await expect(coordinator.getByRole('table')).toHaveCount(0);

    // Routed to the environment company, from the searched queue.
    await coordinator.goto(`/staff/screening?q=${word}`);
    await rows.getByRole('link', { name: new RegExp(`^Mở #${id} `) }).click();
    await expect(coordinator.getByLabel('Đơn vị xử lý')).toHaveValue('urenco');
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();

    // An officer of another agency finds nothing of it, in their queue or on their map.
    const other = await personOn(browser, device, 'xuly.vnpt');
    await other.goto('/staff/agency');
    await searchFor(other, QUEUE_LABEL, typed);
    await expect(other.getByRole('status').filter({ hasText: `Không có phản ánh nào khớp với “${typed}”` })).toBeVisible();
    await other.goto(`/staff/map?q=${word}`);
    await expect(other.getByLabel(MAP_LABEL)).toHaveValue(word);
    await expect(other.getByRole('status').filter({ hasText: `Không có phản ánh nào khớp với “${word}” trong vùng bản đồ này.` })).toBeVisible();
    await other.waitForLoadState('networkidle');
    expect(await violations(other)).toEqual([]);

    // The agency it was routed to finds it in both.
    const officer = await personOn(browser, device, 'xuly.urenco');
    await officer.goto('/staff/agency');
    await searchFor(officer, QUEUE_LABEL, `#${id}`);
    await expect(officer.getByRole('row').filter({ has: officer.getByRole('cell', { name: String(id), exact: true }) })).toHaveCount(1);
    await officer.goto('/staff/map');
    await searchFor(officer, MAP_LABEL, typed);
    await expect(officer).toHaveURL(/[?&]q=cot/);
    const list = officer.getByRole('region', { name: 'Phản ánh trong khung nhìn' });
    await expect(list.getByRole('button', { name: new RegExp(`^#${id} · `) })).toBeVisible();
    await expect(list.getByRole('button', { name: /^#\d+ · / })).toHaveCount(1);
  });
}
