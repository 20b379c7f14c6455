// The statistics page over the regenerated Đồng Hới pilot: a person picks the pilot's period and reads
// the published figures, the charts draw, another period changes the figures, and a leader also sees
// the overdue cases by agency.
import fs from 'node:fs';
import { expect, test, type Page } from './fixtures';
import { signInOn } from './support';

const PILOT_PORT = process.env.E2E_PILOT_PORT ?? '3124';
test.use({ baseURL: `http://127.0.0.1:${PILOT_PORT}` });

async function showPeriod(page: Page, from: string, to: string) {
  await page.getByLabel('Từ ngày').fill(from);
  await page.getByLabel('Đến ngày').fill(to);
  await page.getByRole('button', { name: 'Xem thống kê' }).click();
  await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}`));
}

function summaryRow(page: Page, name: string) {
  const summary = page.getByRole('table', { name: 'Kết quả tiếp nhận và xử lý' });
  return summary.getByRole('row', { name: new RegExp(`^${name}`) });
}

test('the pilot period shows the published figures and charts, and another period changes them', async ({ page }) => {
  await page.goto('/stats');
  await expect(page.getByRole('heading', { name: 'Thống kê phản ánh hiện trường' })).toBeVisible();
  // Opened without a period, the page shows the last twelve months' figures, not date errors.
  await expect(summaryRow(page, 'Tiếp nhận')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await showPeriod(page, '2022-11-01', '2023-06-30');

  await expect(summaryRow(page, 'Tiếp nhận')).toContainText('306');
  await expect(summaryRow(page, 'Đủ điều kiện xử lý')).toContainText('210');
  await expect(summaryRow(page, 'Không đủ điều kiện')).toContainText('96');
  await expect(summaryRow(page, 'Trong đó ngoài địa bàn')).toContainText('10');
  await expect(summaryRow(page, 'Đúng hạn')).toContainText('130 (65.0%)');
  await expect(summaryRow(page, 'Trễ hạn')).toContainText('70 (35.0%)');
  await expect(summaryRow(page, 'Hài lòng')).toContainText('36 (76.6%)');
  await expect(summaryRow(page, 'Chấp nhận được')).toContainText('7 (14.9%)');
  await expect(summaryRow(page, 'Không hài lòng')).toContainText('4 (8.5%)');
  await expect(summaryRow(page, 'Đơn vị tham gia xử lý')).toContainText('29');
  await expect(summaryRow(page, 'Tài khoản người dân đã đăng ký')).toContainText('876');

  const byCategory = page.getByRole('img', { name: 'Phản ánh theo lĩnh vực' });
  await expect(byCategory.locator('rect')).toHaveCount(9);
  await expect(byCategory).toContainText('Môi trường');
  const byMonth = page.getByRole('img', { name: 'Phản ánh theo tháng' });
  await expect(byMonth.locator('rect')).toHaveCount(8);
  await expect(byMonth).toContainText('2023-06');
  await expect(page.getByRole('img', { name: 'Mức độ hài lòng' }).locator('rect')).toHaveCount(3);
  const bar = await byCategory.locator('rect').first().boundingBox();
  expect(bar?.width ?? 0).toBeGreaterThan(10);

  const agencies = page.getByRole('table', { name: /Kết quả theo đơn vị xử lý/ });
  await expect(agencies.getByRole('row')).toHaveCount(1 + 29);

  await showPeriod(page, '2022-11-01', '2022-12-31');
  await expect(summaryRow(page, 'Tiếp nhận')).not.toContainText('306');
  const received = Number((await summaryRow(page, 'Tiếp nhận').getByRole('cell').textContent())?.trim());
  expect(received).toBeGreaterThan(0);
  expect(received).toBeLessThan(306);
  await expect(page.getByRole('img', { name: 'Phản ánh theo tháng' }).locator('rect')).toHaveCount(2);
});

test('a reversed period is refused beside its field', async ({ page }) => {
  await page.goto('/stats');
  await showPeriod(page, '2023-06-30', '2023-01-01');
  await expect(page.getByRole('alert')).toContainText('Đến ngày: không được trước ngày bắt đầu.');
});

test('a leader also sees the overdue cases by agency', async ({ page }) => {
  await signInOn(page, 'lanhdao');
  await page.getByRole('link', { name: 'Thống kê', exact: true }).click();
  const overdue = page.getByRole('region', { name: 'Phản ánh đang quá hạn theo đơn vị' });
  await expect(overdue).toBeVisible();
  await expect(overdue.getByRole('link').first()).toContainText('#');
});

/** Follows an export link and answers the downloaded CSV's rows, header first. */
async function downloadCsv(page: Page): Promise<string[][]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'CSV', exact: true }).click(),
  ]);
  const text = fs.readFileSync((await download.path()) ?? '', 'utf8').replace(/^\uFEFF/, '');
  // The pilot's texts hold no line breaks, so each line is a row; quoted commas are kept whole.
  return text
    .trim()
    .split('\r\n')
    .map((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.map((cell) => cell.replace(/,$/, '')) ?? []);
}

test('the exports download for the whole province and for an area, and each chart has its table', async ({ page }) => {
  await page.goto('/stats');
  await showPeriod(page, '2022-11-01', '2023-06-30');
  const province = await downloadCsv(page);
  expect(province[0].slice(0, 3)).toEqual(['id', 'published', 'submitted_at']);
  expect(province.length).toBe(1 + 306);

  await page.getByRole('combobox', { name: 'Địa bàn' }).selectOption({ label: 'Thành phố Đồng Hới' });
  await page.getByRole('button', { name: 'Xem thống kê' }).click();
  await expect(page).toHaveURL(/area=dong-hoi/);
  const received = Number(await summaryRow(page, 'Tiếp nhận').getByRole('cell').innerText());
  const area = await downloadCsv(page);
  const column = area[0].indexOf('area');
  expect(area.length - 1).toBe(received);
  expect(area.slice(1).every((row) => row[column] === 'dong-hoi')).toBe(true);

  // Every chart's figures, as a table a screen reader can read.
  for (const name of ['Phản ánh theo lĩnh vực', 'Phản ánh theo tháng', 'Mức độ hài lòng']) {
    const figure = page.getByRole('figure').filter({ has: page.getByRole('img', { name }) });
    await figure.getByText('Bảng số liệu').click();
    await expect(figure.getByRole('table', { name })).toBeVisible();
  }
  const months = page.getByRole('table', { name: 'Phản ánh theo tháng' });
  await expect(months.getByRole('row')).toHaveCount(1 + 8);
});

test('a period of four years charts quarters, with every case in one of them', async ({ page }) => {
  await page.goto('/stats');
  await showPeriod(page, '2022-11-01', '2026-10-31');
  const chart = page.getByRole('img', { name: 'Phản ánh theo tháng' });
  await expect(chart.locator('rect')).toHaveCount(17);
  await expect(chart).toContainText('Q1/2023');
  const received = Number(await summaryRow(page, 'Tiếp nhận').getByRole('cell').innerText());
  const heights = await chart.locator("text").allTextContents();
  const counted = heights.filter((text) => /^\d+$/.test(text)).map(Number).reduce((a, b) => a + b, 0);
  expect(counted).toBe(received);
});
