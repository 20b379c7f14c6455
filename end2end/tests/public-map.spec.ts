// The public transparency map over the Đồng Hới pilot, as a member of the public uses it: every screened
// case counted in clusters that agree with the list, single cases coloured by status on zooming in, the
// list following the map and the filters, rejected cases with their public reason, and a copied address
// reopening the same view.
import { expect, test, type Page } from './fixtures';

const PILOT_PORT = process.env.E2E_PILOT_PORT ?? '3124';
test.use({ baseURL: `http://127.0.0.1:${PILOT_PORT}` });

/** The whole province and its surroundings. */
const PROVINCE = '/map?bbox=105.5,16.8,107.5,18.2&zoom=9';

/** The number of cases in view, as the list beside the map states it. */
async function listTotal(page: Page): Promise<number> {
  const text = await page.getByRole('status').filter({ hasText: 'trong khung nhìn' }).innerText();
  return Number(text.match(/^(\d+) phản ánh/)?.[1] ?? NaN);
}

function clusterMap(page: Page) {
  return page.getByRole('region', { name: 'Bản đồ cụm phản ánh' });
}

/** The number of cases the map draws: each cluster's count, one per single case. */
async function mapTotal(page: Page): Promise<number> {
  const map = clusterMap(page);
  const clusters = await map.getByRole('button', { name: /^Cụm \d+ phản ánh$/ }).allInnerTexts();
  const singles = await map.getByRole('button', { name: /^Phản ánh số \d+: / }).count();
  return clusters.map((text) => Number(text.match(/(\d+)/)?.[1] ?? NaN)).reduce((a, b) => a + b, 0) + singles;
}

/** Waits until the map and the list agree on a number of cases in view, and answers it. */
async function settled(page: Page, expected?: number): Promise<number> {
  let total = -1;
  await expect(async () => {
    total = await listTotal(page);
    if (expected !== undefined) expect(total).toBe(expected);
    expect(await mapTotal(page)).toBe(total);
  }).toPass();
  return total;
}

test('the public map counts every screened case of the pilot in clusters that agree with the list', async ({ page }) => {
  await page.goto(PROVINCE);
  await expect(page.getByRole('heading', { level: 1, name: 'Bản đồ phản ánh', exact: true })).toBeVisible();
  // The pilot's 306 screened cases less the 4 rejected as inappropriate, whose text stays private.
  await settled(page, 302);

  // The filters live in one panel; a filter changes the map and the list together.
  const status = page.getByRole('combobox', { name: 'Trạng thái' });
  const agency = page.getByRole('combobox', { name: 'Đơn vị xử lý' });
  await status.selectOption({ label: 'Không đủ điều kiện tiếp nhận' });
  await settled(page, 92);
  await expect(page).toHaveURL(/status=rejected/);
  const list = page.getByRole('region', { name: 'Phản ánh trong khung nhìn' });
  await expect(list.getByText('Lý do không tiếp nhận').first()).toBeVisible();
  await status.selectOption({ label: 'Tất cả' });
  await settled(page, 302);
  await agency.selectOption({ label: 'Viettel Quảng Bình' });
  await expect(page).toHaveURL(/agency=viettel/);
  // The address changes before the cases of the agency arrive: until then map and list still
  // agree on the whole province.
  await expect.poll(() => listTotal(page)).not.toBe(302);
  const viettel = await settled(page);
  expect(viettel).toBeGreaterThan(0);
  expect(viettel).toBeLessThan(302);
  await agency.selectOption({ label: 'Tất cả' });
  await settled(page, 302);
});

test('zooming in reveals single cases coloured by status, the list follows, and a copied address reopens the view', async ({ page, browser }) => {
  await page.goto(PROVINCE);
  const all = await settled(page, 302);
  const map = clusterMap(page);
  const clusters = map.getByRole('button', { name: /^Cụm \d+ phản ánh$/ });
  const singles = map.getByRole('button', { name: /^Phản ánh số \d+: / });

  // Into the biggest cluster, until single cases show; the list follows each new view.
  for (let step = 0; step < 8 && (await singles.count()) === 0; step++) {
    const counts = (await clusters.allInnerTexts()).map((text) => Number(text.match(/(\d+)/)?.[1] ?? 0));
    // Clusters may overlap at a wide zoom; the keyboard reaches each of them.
    await clusters.nth(counts.indexOf(Math.max(...counts))).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => listTotal(page)).toBeLessThan(all);
    await settled(page);
  }
  await expect(singles.first()).toBeVisible();
  const inView = await settled(page);
  expect(inView).toBeLessThan(all);

  // Each single case is coloured by its status, which its name also states, and the legend explains.
  const single = singles.first();
  const name = (await single.getAttribute('title')) ?? '';
  const status = name.split(': ')[1];
  await expect(single).toHaveClass(/status-[a-z_]+/);
  await expect(page.getByRole('list', { name: 'Chú giải' })).toContainText(status);

  // Selecting a case on the map selects it in the list, and its link opens the case.
  const id = name.match(/(\d+)/)?.[1] ?? '';
  await single.focus();
  await page.keyboard.press('Enter');
  const list = page.getByRole('region', { name: 'Phản ánh trong khung nhìn' });
  const chosen = list.getByRole('group', { name: 'Đang chọn' });
  await expect(chosen).toContainText(`#${id} · ${status}`);
  // And from the list to the map: picking a listed case marks it on the map.
  const listed = list.getByRole('button', { name: /^#\d+ · / }).first();
  const listedId = (await listed.innerText()).match(/^#(\d+)/)?.[1] ?? '';
  await listed.click();
  await expect(listed).toHaveAttribute('aria-pressed', 'true');
  await expect(chosen).toContainText(`#${listedId}`);
  await expect(map.locator('.selected')).toHaveCount(1);

  // The address now holds the view; opened elsewhere it shows the same cases.
  await expect(page).toHaveURL(/bbox=[-0-9.,]+&zoom=\d+/);
  const address = page.url();
  const other = await browser.newPage({ viewport: page.viewportSize() ?? undefined });
  await other.goto(address);
  expect(await settled(other, inView)).toBe(inView);
  await expect(other).toHaveURL(new RegExp(`zoom=${new URL(address).searchParams.get('zoom')}`));
  await other.close();

  await chosen.getByRole('link', { name: `Mở #${listedId}` }).click();
  await expect(page).toHaveURL(`/cases/${listedId}`);
});

// Only pages that draw a map bring Leaflet's script with them. The statistics page has none; the map
// reached from it by a link fetches the script then, and draws the same clusters.
test('the map reached by a link from a page without one fetches Leaflet and draws its clusters', async ({ page }) => {
  await page.goto('/stats');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(page.locator('script[src="/vendor/leaflet/leaflet.js"]')).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Bản đồ phản ánh' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/map');
  await expect(clusterMap(page).getByRole('button', { name: /^Cụm \d+ phản ánh$/ }).first()).toBeVisible();
  expect(await settled(page)).toBeGreaterThan(0);
});
