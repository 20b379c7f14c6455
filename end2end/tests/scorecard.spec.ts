// Agency and area scorecards over the regenerated Đồng Hới pilot: a person reads an agency's row in the
// statistics' ranking, follows its name to the agency's scorecard and finds the same figures for the same
// period, with the monthly trend as a chart and a table, and the agency's open and overdue cases on the map.
import { expect, test, type Locator, type Page } from './fixtures';

const PILOT_PORT = process.env.E2E_PILOT_PORT ?? '3124';
test.use({ baseURL: `http://127.0.0.1:${PILOT_PORT}` });

const FROM = '2022-11-01';
const TO = '2023-06-30';

async function showPeriod(page: Page, from: string, to: string) {
  await page.getByLabel('Từ ngày').fill(from);
  await page.getByLabel('Đến ngày').fill(to);
  await page.getByRole('button', { name: 'Xem thống kê' }).click();
  await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}`));
}

/** The value cell of the figure named `name` in the scorecard's figures. */
function figure(page: Page, name: string): Locator {
  const figures = page.getByRole('table', { name: 'Kết quả trong kỳ' });
  return figures.getByRole('row', { name: new RegExp(`^${name}`) }).getByRole('cell');
}

/** The leading number of a cell such as "5 (62.5%)". */
async function count(cell: Locator): Promise<number> {
  return Number((await cell.innerText()).trim().split(' ')[0]);
}

test("an agency's scorecard shows its row's figures, its trend as a chart and a table, and its open cases on the map", async ({
  page,
}) => {
  await page.goto('/stats');
  await showPeriod(page, FROM, TO);
  const ranking = page.getByRole('table', { name: /Kết quả theo đơn vị xử lý/ });
  await expect(ranking.getByRole('row')).toHaveCount(1 + 29);
  // A ranked agency with a case overdue now, so that the map has something to show.
  const rows = ranking.getByRole('row');
  let row: Locator | undefined;
  for (let at = 1; at < (await rows.count()); at++) {
    const cells = await rows.nth(at).getByRole('cell').allInnerTexts();
    if (cells[0].trim() !== '–' && Number(cells[6]) > 0) {
      row = rows.nth(at);
      break;
    }
  }
  if (!row) throw new Error('the pilot has a ranked agency with an overdue case');
  // Rank, received, handled, on time, late, on-time rate, overdue now, satisfied of rated.
  const [rank, received, handled, onTime, late, rate, overdue, satisfaction] = (
    await row.getByRole('cell').allInnerTexts()
  ).map((text) => text.trim());
  const name = (await row.getByRole('rowheader').innerText()).trim();
  const [satisfied, rated] = satisfaction.split('/').map(Number);

  await row.getByRole('link', { name }).click();
  await expect(page).toHaveURL(new RegExp(`/agencies/[a-z0-9_.-]+\\?from=${FROM}&to=${TO}$`));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByLabel('Từ ngày')).toHaveValue(FROM);
  await expect(page.getByLabel('Đến ngày')).toHaveValue(TO);

  await expect(figure(page, 'Tiếp nhận')).toHaveText(received);
  await expect(figure(page, 'Đã xử lý xong')).toHaveText(handled);
  await expect(figure(page, 'Đúng hạn')).toHaveText(onTime);
  await expect(figure(page, 'Trễ hạn')).toHaveText(late);
  await expect(figure(page, 'Tỷ lệ đúng hạn')).toHaveText(rate);
  await expect(figure(page, 'Đang quá hạn')).toHaveText(overdue);
  expect(await count(figure(page, 'Hài lòng'))).toBe(satisfied);
  const ratings =
    (await count(figure(page, 'Hài lòng'))) +
    (await count(figure(page, 'Chấp nhận được'))) +
    (await count(figure(page, 'Không hài lòng')));
  expect(ratings).toBe(rated);
  await expect(figure(page, 'Xếp hạng đúng hạn')).toHaveText(new RegExp(`^${rank} trên \\d+ đơn vị được xếp hạng$`));
  await expect(figure(page, 'Thời gian đến khi có kết quả')).toHaveText(/^\d+(\.\d)? ngày làm việc$/);

  // The trend: a chart with a pair of columns for each of the eight months, and the same months in its table.
  const chart = page.getByRole('img', { name: 'Phản ánh tiếp nhận và đã xử lý xong theo tháng' });
  await expect(chart.locator('rect')).toHaveCount(2 * 8);
  await expect(chart).toContainText('06/2023');
  const months = page.getByRole('table', { name: 'Số liệu theo tháng' });
  await expect(months.getByRole('row')).toHaveCount(1 + 8);
  const byMonth = await months.locator('tbody tr td:nth-of-type(1)').allInnerTexts();
  expect(byMonth.reduce((sum, n) => sum + Number(n), 0)).toBe(Number(received));

  // The map of its open cases: the map opens on them all, so the cases in view are those open now;
  // overdue only, those overdue now.
  await expect(page.getByRole('region', { name: `Bản đồ phản ánh đang giải quyết: ${name}` })).toBeVisible();
  const open = await count(figure(page, 'Đang giải quyết'));
  const inView = page.getByRole('status').filter({ hasText: 'trong khung nhìn' });
  await expect(inView).toHaveText(new RegExp(`^${open} phản ánh trong khung nhìn`));
  await page.getByLabel('Chỉ phản ánh đang quá hạn').check();
  await expect(inView).toHaveText(new RegExp(`^${overdue} phản ánh trong khung nhìn`));
  const list = page.getByRole('region', { name: 'Phản ánh trong khung nhìn' });
  await expect(list.getByRole('link', { name: 'Mở' })).toHaveCount(Number(overdue));

  // Every figure is explained.
  const method = page.getByRole('region', { name: 'Cách tính các số liệu' });
  await expect(method).toContainText('Đúng bằng số Tiếp nhận của đơn vị trong bảng thống kê');
  await expect(method).toContainText('ngày làm việc');
});

test("an area's scorecard opens from the statistics page and counts what the statistics of the area count", async ({
  page,
}) => {
  await page.goto(`/stats?from=${FROM}&to=${TO}`);
  const areas = page.getByRole('navigation', { name: 'Bảng kết quả theo địa bàn' });
  const link = areas.getByRole('link').first();
  const name = (await link.innerText()).trim();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/areas/[a-z0-9_.-]+\\?from=${FROM}&to=${TO}$`));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const received = await count(figure(page, 'Tiếp nhận'));
  const accepted = await count(figure(page, 'Đủ điều kiện xử lý'));
  const code = new URL(page.url()).pathname.split('/').pop();
  await page.goto(`/stats?from=${FROM}&to=${TO}&area=${code}`);
  const summary = page.getByRole('table', { name: 'Kết quả tiếp nhận và xử lý' });
  await expect(summary.getByRole('row', { name: /^Tiếp nhận/ }).getByRole('cell')).toHaveText(String(received));
  await expect(summary.getByRole('row', { name: /^Đủ điều kiện xử lý/ }).getByRole('cell')).toContainText(`${accepted} (`);
});

test('an unknown agency is not found, and a bad period is refused beside its field', async ({ page }) => {
  const response = await page.goto('/agencies/atlantis');
  expect(response?.status()).toBe(404);
  await expect(page.getByText('Không có đơn vị hoặc địa bàn này.')).toBeVisible();

  const refused = await page.goto('/agencies/sgtvt?from=2023-06-30&to=2023-01-01');
  expect(refused?.status()).toBe(422);
  await expect(page.getByRole('alert')).toContainText('Đến ngày: không được trước ngày bắt đầu.');
});
