// The public map's search box, used the way a person does: a place typed without diacritics moves
// the map there, words find screened reports, and a report number opens that report.
import { expect, test, type Page } from './fixtures';

/** The map's view as its address keeps it: (south, west, north, east). */
function viewOf(page: Page): [number, number, number, number] {
  const bbox = new URL(page.url()).searchParams.get('bbox') ?? '';
  const [west, south, east, north] = bbox.split(',').map(Number);
  return [south, west, north, east];
}

test.describe('map search', () => {
  test('a place typed without diacritics moves the map there, and a number opens its report', async ({ page, request }) => {
    // The map opens over Huế, far from the pilot area.
    await page.goto('/map?bbox=107.55,16.43,107.65,16.50&zoom=13');
    const search = page.getByRole('search');
    const button = search.getByRole('button', { name: 'Tìm', exact: true });
    await expect(button).toBeEnabled();
    await expect.poll(() => viewOf(page)[0]).toBeLessThan(16.6);

    await search.getByLabel('Tìm địa điểm, phản ánh hoặc số phản ánh').fill('thanh pho dong hoi');
    await button.click();
    await expect(search.getByRole('status')).toContainText('Bản đồ đã chuyển đến: Thành phố Đồng Hới');
    // Đồng Hới's centre is now in view.
    await expect.poll(() => {
      const [south, west, north, east] = viewOf(page);
      return south < 17.4689 && 17.4689 < north && west < 106.6222 && 106.6222 < east;
    }).toBe(true);

    // Words of a screened report find it, typed without diacritics.
    const exported = await request.get('/api/v1/cases.geojson');
    const features = (await exported.json()).features as { properties: { id: number; title: string } }[];
    const sample = features[0].properties;
    const plain = sample.title.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd');
    await search.getByLabel('Tìm địa điểm, phản ánh hoặc số phản ánh').fill(plain.split(' ').slice(0, 3).join(' '));
    await button.click();
    const found = search.getByRole('link', { name: `#${sample.id} · ${sample.title}` });
    await expect(found).toBeVisible();
    // The words typed are marked in the title as written, diacritics and all.
    const typed = sample.title.split(' ').slice(0, 3).filter((word) => /[\p{L}\p{N}]/u.test(word));
    await expect(found.locator('mark').first()).toHaveText(typed[0].replace(/[^\p{L}\p{N}]/gu, ''));

    await search.getByLabel('Tìm địa điểm, phản ánh hoặc số phản ánh').fill(`#${sample.id}`);
    await button.click();
    await expect(page).toHaveURL(new RegExp(`/cases/${sample.id}$`));
    await expect(page.getByRole('heading', { name: sample.title })).toBeVisible();
  });
});
