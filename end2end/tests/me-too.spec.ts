// "Me too": a citizen about to report what someone already reported sees it suggested and supports it
// instead, once; a coordinator merges a duplicate into its original, whose count then takes in the
// duplicate's reporter, and the duplicate's page points at the original.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from './fixtures';
import { signIn, SITE_ORIGIN } from './support';

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Files a report through the public API at the given spot; `request` decides who reports it. */
async function fileReport(request: APIRequestContext, title: string, lat: number, lon: number): Promise<number> {
  const response = await request.post('/api/submit_case', {
    headers: { origin: SITE_ORIGIN },
    data: {
      input: {
        submission_key: `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
        category: 'environment',
        title,
        description: 'Phản ánh được tạo bởi kiểm thử đầu cuối để kiểm tra tính năng cùng phản ánh.',
        lat,
        lon,
      },
    },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).id as number;
}

/** The coordinator accepts case `id` and routes it to the sanitation company. */
async function screen(coordinator: Page, id: number): Promise<void> {
  const response = await coordinator.request.post('/api/staff/change', {
    headers: { origin: SITE_ORIGIN },
    data: { id, version: 1, request: { action: 'accept', agency: 'urenco' } },
  });
  expect(response.status()).toBe(200);
}

/** How many support case `id`, as the public API says. */
async function supporters(request: APIRequestContext, id: number): Promise<number> {
  const response = await request.get(`/api/case?id=${id}`);
  expect(response.status()).toBe(200);
  return (await response.json()).supporters as number;
}

/** Drops the pin on the report form somewhere of its own near the map's middle; answers where. */
async function pinSomewhere(page: Page): Promise<[number, number]> {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Gửi phản ánh', exact: true })).toBeEnabled();
  const map = page.getByRole('region', { name: 'Bản đồ', exact: true });
  const box = await map.boundingBox();
  if (!box) throw new Error('the map region is not visible');
  const offset = Math.round((Math.random() - 0.5) * Math.min(120, box.width / 2));
  await map.click({ position: { x: box.width / 2 + offset, y: 150 } });
  const pinned = page.getByText(/^Vị trí đã ghim: -?\d+\.\d{5}, -?\d+\.\d{5}$/);
  await expect(pinned).toBeVisible();
  const [lat, lon] = ((await pinned.textContent()) ?? '').replace('Vị trí đã ghim: ', '').split(', ').map(Number);
  return [lat, lon];
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.describe('me too', () => {
  test('a citizen sees a screened case nearby suggested and supports it instead, once', async ({ browser, request }) => {
    const citizen = await signIn(browser, 'dan');
    const [lat, lon] = await pinSomewhere(citizen);
    const title = unique('Rác chất đống cạnh chợ');
    const id = await fileReport(request, title, lat, lon);
    await screen(await signIn(browser, 'dieuphoi'), id);
    const before = await supporters(request, id);

    await citizen.getByLabel('Lĩnh vực', { exact: true }).selectOption({ label: 'Môi trường, vệ sinh' });
    const suggestions = citizen.getByRole('region', { name: 'Có phải một trong các phản ánh này?' });
    await expect(suggestions).toBeVisible();
    const suggestion = suggestions.getByRole('listitem').filter({ has: citizen.getByRole('link', { name: `#${id} · ${title}` }) });
    await expect(suggestion).toBeVisible();
    await expectNoAxeViolations(citizen);

    await suggestion.getByRole('button', { name: `Tôi cũng gặp vấn đề này (phản ánh #${id})` }).click();
    await expect(suggestion.getByRole('status')).toHaveText(`Đã ghi nhận bạn cùng phản ánh #${id}. ${before + 1} người cùng phản ánh.`);
    expect(await supporters(request, id)).toBe(before + 1);

    // The case's public page shows the new count to anyone.
    const visitor = await browser.newPage();
    await visitor.goto(`/cases/${id}`);
    await expect(visitor.getByText(`${before + 1} người cùng phản ánh`, { exact: true })).toBeVisible();

    // The same account supporting again, from the case page, is refused saying why.
    await citizen.goto(`/cases/${id}`);
    const again = citizen.getByRole('button', { name: `Tôi cũng gặp vấn đề này (phản ánh #${id})` });
    await expect(again).toBeEnabled();
    await again.click();
    await expect(citizen.getByRole('alert').filter({ hasText: 'bạn đã ủng hộ phản ánh này rồi' })).toBeVisible();
    expect(await supporters(request, id)).toBe(before + 1);
  });

  test('a coordinator merges a duplicate and its reporter becomes a supporter of the original', async ({ browser, request }) => {
    const citizen = await signIn(browser, 'dan');
    const coordinator = await signIn(browser, 'dieuphoi');
    const [lat, lon] = [17.4685 + Math.random() / 1000, 106.6005 + Math.random() / 1000];
    const original = await fileReport(request, unique('Cống thoát nước tắc'), lat, lon);
    await screen(coordinator, original);
    const duplicate = await fileReport(citizen.request, unique('Cống bị tắc, nước tràn'), lat, lon);
    const before = await supporters(request, original);

    await coordinator.goto(`/staff/cases/${duplicate}`);
    await expect(coordinator.getByText(`Phản ánh #${duplicate}`)).toBeVisible();
    const reject = coordinator.getByRole('button', { name: 'Không tiếp nhận' });
    await expect(reject).toBeEnabled();
    await coordinator.getByLabel('Lý do không tiếp nhận').selectOption('duplicate');
    await coordinator.getByLabel('Trùng với phản ánh số').fill(String(original));
    await coordinator.getByLabel('Giải thích công khai').fill(`Trùng với phản ánh #${original} đang được xử lý.`);
    await expectNoAxeViolations(coordinator);
    await reject.click();
    await expect(coordinator.getByText('Không đủ điều kiện tiếp nhận', { exact: true })).toBeVisible();

    expect(await supporters(request, original)).toBe(before + 1);
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`/cases/${duplicate}`);
    await visitor.getByRole('link', { name: `phản ánh #${original}` }).click();
    await expect(visitor).toHaveURL(new RegExp(`/cases/${original}$`));
    await expect(visitor.getByText(`${before + 1} người cùng phản ánh`, { exact: true })).toBeVisible();
    await expectNoAxeViolations(visitor);
  });
});
