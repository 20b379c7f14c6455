// Closing the loop in a real browser: an anonymous reporter keeps the receipt link, the coordinator
// approves the officer's result (its text edited, a photo as proof), and the reporter reads the
// approved text and photo through the link and rates it; the statistics count the rating. A
// phoned-in case's caller rates on a call the operator logs from the verification queue.
import AxeBuilder from '@axe-core/playwright';
import zlib from 'node:zlib';
import { expect, test, type APIRequestContext, type Page } from './fixtures';
import { fillReportForm, openFromQueue, signIn } from './support';

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(kind: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(kind, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small PNG of one colour, made here so the test needs no fixture files. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

type Ratings = { satisfied: number; acceptable: number; unsatisfied: number };

/** The ratings the public statistics count for the days around today (the province's date). */
async function ratings(request: APIRequestContext): Promise<Ratings> {
  const day = (offset: number) => new Date(Date.now() + 7 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
  const response = await request.get(`/api/v1/stats?from=${day(-1)}&to=${day(1)}`);
  expect(response.status()).toBe(200);
  return (await response.json()).ratings as Ratings;
}

/** The officer takes case `id` up and submits `summary` as its result, with a photo when given. */
async function submitResult(officer: Page, id: number, summary: string, photo?: Buffer): Promise<void> {
  await openFromQueue(officer, '/staff/agency', id);
  await officer.getByRole('button', { name: 'Nhận xử lý' }).click();
  await expect(officer.getByText('Đang xử lý', { exact: true })).toBeVisible();
  await officer.getByLabel('Kết quả xử lý').fill(summary);
  if (photo) {
    await officer.getByLabel('Ảnh kết quả').setInputFiles([{ name: 'da-xu-ly.png', mimeType: 'image/png', buffer: photo }]);
    await expect(officer.getByRole('progressbar', { name: 'Đã tải ảnh lên' })).toHaveJSProperty('value', 100);
  }
  await officer.getByRole('button', { name: 'Gửi kết quả xử lý' }).click();
  await expect(officer.getByText('Đang duyệt kết quả', { exact: true })).toBeVisible();
}

test.describe('closing the loop', () => {
  test('an anonymous reporter reads the approved result through the receipt link and rates it; the statistics count it', async ({ browser, request }) => {
    const title = unique('Rác ùn ứ cửa cống');
    const submitted = 'Đã nạo vét cống, thu gom 2 xe rác.';
    const published = 'Công ty Môi trường đã nạo vét cống và thu gom toàn bộ rác; khu vực đã thông thoáng.';
    const before = await ratings(request);

    // The reporter files from the form without signing in and keeps the private link.
    const reporter = await (await browser.newContext()).newPage();
    await fillReportForm(reporter, title, 'Rác chắn miệng cống, mưa xuống là nước tràn vào nhà dân.');
    await reporter.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
    await expect(reporter.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
    const id = Number(((await reporter.getByRole('status').getByRole('strong').textContent()) ?? '').replace('#', ''));
    expect(id).toBeGreaterThan(0);
    const link = reporter.getByRole('link', { name: /\/receipt\/[0-9a-f]{64}$/ });
    const receipt = new URL(await link.innerText()).pathname;

    // The coordinator accepts; the officer submits a result with a photo.
    const coordinator = await signIn(browser, 'dieuphoi');
    await openFromQueue(coordinator, '/staff/screening', id);
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();
    const officer = await signIn(browser, 'xuly.urenco');
    await submitResult(officer, id, submitted, png(40, 30, [90, 200, 90]));

    // The coordinator approves, editing the text the public will read.
    await openFromQueue(coordinator, '/staff/review', id);
    const answer = coordinator.getByLabel('Kết quả công bố cho người dân');
    await expect(answer).toHaveValue(submitted);
    await answer.fill(published);
    await expectNoAxeViolations(coordinator);
    await coordinator.getByRole('button', { name: 'Duyệt kết quả', exact: true }).click();
    await expect(coordinator.getByText('Đã xử lý', { exact: true })).toBeVisible();

    // Through the receipt link: the approved text and photo, then the rating.
    await reporter.goto(receipt);
    await expect(reporter.getByRole('heading', { level: 1, name: title })).toBeVisible();
    const result = reporter.getByRole('region', { name: 'Kết quả xử lý' });
    await expect(result.getByText(published)).toBeVisible();
    await expect(reporter.getByText(submitted)).toHaveCount(0);
    const photo = reporter.getByRole('img', { name: 'Ảnh kết quả xử lý 1' });
    await expect(photo).toBeVisible();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    const form = reporter.getByRole('group', { name: 'Đánh giá kết quả xử lý' });
    await expect(form.getByLabel('Hài lòng', { exact: true })).toBeEnabled();
    await expectNoAxeViolations(reporter);
    await form.getByLabel('Hài lòng', { exact: true }).check();
    await reporter.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await expect(reporter.getByRole('status').filter({ hasText: 'Cảm ơn bạn, đánh giá đã được ghi nhận.' })).toBeVisible();
    await reporter.reload();
    await expect(reporter.getByRole('definition').filter({ hasText: /^Đã đóng$/ })).toBeVisible();
    await expect(reporter.getByRole('button', { name: 'Gửi đánh giá' })).toHaveCount(0);

    // The public page shows the same answer; the statistics count the rating.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`/cases/${id}`);
    await expect(visitor.getByRole('region', { name: 'Kết quả xử lý' }).getByText(published)).toBeVisible();
    await expectNoAxeViolations(visitor);
    await expect.poll(async () => (await ratings(request)).satisfied).toBe(before.satisfied + 1);
  });

  test('an operator records the rating a caller gives on a logged call', async ({ browser, request }) => {
    const title = unique('Cống vỡ nắp');
    const before = await ratings(request);

    const operator = await signIn(browser, 'tongdai');
    await expect(operator.getByRole('button', { name: 'Gửi phản ánh', exact: true })).toBeEnabled();
    await operator.getByRole('button', { name: 'Ghim tại tâm bản đồ' }).click();
    await expect(operator.getByText('Vị trí đã ghim')).toBeVisible();
    await operator.getByLabel('Lĩnh vực').selectOption({ label: 'Môi trường, vệ sinh' });
    await operator.getByLabel('Tiêu đề').fill(title);
    await operator.getByLabel('Nội dung phản ánh').fill('Người gọi báo nắp cống vỡ, rác và nước thải tràn ra đường.');
    await operator.getByLabel('Số điện thoại').fill('0935 777 123');
    await operator.getByLabel('Thời lượng cuộc gọi (giây)').fill('80');
    await operator.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
    await expect(operator.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
    const id = Number(((await operator.getByRole('status').getByRole('strong').textContent()) ?? '').replace('#', ''));
    expect(id).toBeGreaterThan(0);

    const coordinator = await signIn(browser, 'dieuphoi');
    await openFromQueue(coordinator, '/staff/screening', id);
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();
    await submitResult(await signIn(browser, 'xuly.urenco'), id, 'Đã thay nắp cống mới và dọn sạch.');
    await openFromQueue(coordinator, '/staff/review', id);
    await coordinator.getByRole('button', { name: 'Duyệt kết quả', exact: true }).click();
    await expect(coordinator.getByText('Đã xử lý', { exact: true })).toBeVisible();

    // The approved phoned-in case waits in the verification queue; the caller rates on the call.
    await operator.goto('/hotline/verify');
    const item = operator.getByRole('article').filter({ hasText: title });
    const rating = item.getByRole('group', { name: 'Người gọi đánh giá kết quả' });
    await expect(rating.getByLabel('Chấp nhận', { exact: true })).toBeEnabled();
    await expectNoAxeViolations(operator);
    await rating.getByLabel('Chấp nhận', { exact: true }).check();
    await item.getByRole('button', { name: 'Ghi cuộc gọi và đánh giá' }).click();
    await expect(operator.getByRole('article').filter({ hasText: title })).toHaveCount(0);

    // The case's timeline shows the call, then the rating; the statistics count it.
    await coordinator.goto(`/staff/cases/${id}`);
    await expect(coordinator.getByRole('listitem').filter({ hasText: 'Cuộc gọi tổng đài' })).toHaveCount(2);
    await expect(coordinator.getByRole('listitem').filter({ hasText: 'Người dân đánh giá' })).toHaveCount(1);
    await expect.poll(async () => (await ratings(request)).acceptable).toBe(before.acceptable + 1);
  });
});
