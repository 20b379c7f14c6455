// Photos in a real browser: a citizen attaches photos to a report, sees their upload progress and previews,
// removes one and submits; the public case page shows none while the case waits for screening, the coordinator
// sees them at screening, and once the case is accepted its public page shows them. Files the form refuses are
// named; an officer proves a result by photo, public once the coordinator approves the result.
import { expect, test, type Page } from './fixtures';
import zlib from 'node:zlib';
import { fillReportForm, signIn, SITE_ORIGIN } from './support';

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

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The case's photos as the gallery shows them: thumbnails whose alt text numbers them. */
function galleryPhotos(page: Page) {
  return page.getByRole('img', { name: /^Ảnh hiện trường \d+$/ });
}

test.describe('photos', () => {
  test('a citizen attaches photos, sees progress and previews, and the case shows them once accepted', async ({ page, browser }) => {
    const title = unique('Cây đổ chắn ngang đường');
    await fillReportForm(page, title, 'Một cây lớn đổ chắn ngang đường sau cơn mưa, xe không qua được.');

    await page.getByLabel('Đính kèm ảnh').setInputFiles([
      { name: 'cay-do-1.png', mimeType: 'image/png', buffer: png(64, 48, [200, 40, 40]) },
      { name: 'cay-do-2.png', mimeType: 'image/png', buffer: png(48, 64, [40, 160, 40]) },
      { name: 'nham.png', mimeType: 'image/png', buffer: png(32, 32, [40, 40, 200]) },
    ]);
    const progress = page.getByRole('progressbar');
    await expect(progress).toBeVisible();
    await expect(page.getByRole('progressbar', { name: 'Đã tải ảnh lên' })).toHaveJSProperty('value', 100);
    for (const name of ['cay-do-1.png', 'cay-do-2.png', 'nham.png']) {
      await expect(page.getByRole('img', { name: `Ảnh hiện trường: ${name}` })).toBeVisible();
    }
    await page.getByRole('button', { name: 'Bỏ ảnh: nham.png' }).click();
    await expect(page.getByRole('img', { name: 'Ảnh hiện trường: nham.png' })).toHaveCount(0);
    await expect(page.getByRole('img', { name: /^Ảnh hiện trường: / })).toHaveCount(2);

    await page.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
    const number = await page.getByRole('status').getByRole('strong').textContent();
    const id = Number((number ?? '').replace('#', ''));
    expect(id).toBeGreaterThan(0);

    // The confirmation shows the report as sent, photos included.
    await expect(page.getByRole('region', { name: 'Phản ánh bạn đã gửi' }).getByRole('img')).toHaveCount(2);

    // Waiting for screening: the reporter's own page (by the receipt link) shows their photos, saying
    // only they and the staff see them; the public finds no case at all, nor the photos.
    await page.getByRole('link', { name: 'Xem phản ánh', exact: true }).click();
    await expect(page).toHaveURL(/\/receipt\/[0-9a-f]{64}$/);
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(galleryPhotos(page)).toHaveCount(2);
    await expect(page.getByText('Chỉ bạn và cán bộ xử lý thấy các ảnh này cho đến khi phản ánh được tiếp nhận.')).toBeVisible();
    const ownPhotos: string[] = [];
    for (const photo of await galleryPhotos(page).all()) {
      await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
      ownPhotos.push((await photo.getAttribute('src')) ?? '');
    }
    const stranger = await (await browser.newContext()).newPage();
    for (const src of ownPhotos) {
      const withoutReceipt = src.replace(/\?.*$/, '');
      expect((await stranger.request.get(withoutReceipt)).status()).toBe(404);
    }
    await page.goto(`/cases/${id}`);
    await expect(page.getByText('Không tìm thấy phản ánh này.')).toBeVisible();

    // The coordinator sees them at screening, then accepts and routes the case.
    const coordinator = await signIn(browser, 'dieuphoi');
    await coordinator.goto(`/staff/cases/${id}`);
    await expect(coordinator.getByText(`Phản ánh #${id}`)).toBeVisible();
    await expect(galleryPhotos(coordinator)).toHaveCount(2);
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();

    // Accepted: the public page shows both photos, and they load.
    await page.reload();
    await expect(galleryPhotos(page)).toHaveCount(2);
    for (const photo of await galleryPhotos(page).all()) {
      await expect(photo).toBeVisible();
      await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    }
    expect(await page.content()).not.toContain('cay-do-1.png');
  });

  test('a sixth photo and a file that is no image are refused in the form, each by its name', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Gửi phản ánh', exact: true })).toBeEnabled();
    const picker = page.getByLabel('Đính kèm ảnh');
    await picker.setInputFiles([
      { name: 'khong-phai-anh.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('Đây là một tệp văn bản, không phải ảnh.') },
    ]);
    await expect(page.getByRole('alert').filter({ hasText: /^khong-phai-anh\.jpg: không phải ảnh/ })).toBeVisible();
    await page.getByRole('button', { name: 'Bỏ ảnh: khong-phai-anh.jpg' }).click();

    const files = Array.from({ length: 6 }, (_, i) => ({
      name: `anh-${i + 1}.png`,
      mimeType: 'image/png',
      buffer: png(16 + i, 16, [30 * i, 80, 120]),
    }));
    await picker.setInputFiles(files);
    await expect(page.getByRole('img', { name: /^Ảnh hiện trường: / })).toHaveCount(5);
    await expect(page.getByText('anh-6.png: Ảnh: tối đa 5 ảnh.')).toBeVisible();
    await expect(page.getByRole('progressbar', { name: 'Đã tải ảnh lên' })).toHaveJSProperty('value', 100);
  });

  test('an officer proves a result by photo, shown publicly once the coordinator approves it', async ({ browser, request }) => {
    const title = unique('Rác trên vỉa hè');
    const filed = await request.post('/api/submit_case', {
      headers: { origin: SITE_ORIGIN },
      data: {
        input: {
          submission_key: `e2e-photo-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
          category: 'environment',
          title,
          description: 'Rác thải đổ thành đống trên vỉa hè, cần thu gom gấp.',
          lat: 17.4689,
          lon: 106.6222,
        },
      },
    });
    expect(filed.status()).toBe(200);
    const id = (await filed.json()).id as number;

    const coordinator = await signIn(browser, 'dieuphoi');
    await coordinator.goto(`/staff/cases/${id}`);
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();

    const officer = await signIn(browser, 'xuly.urenco');
    await officer.goto(`/staff/cases/${id}`);
    await officer.getByRole('button', { name: 'Nhận xử lý' }).click();
    await expect(officer.getByRole('button', { name: 'Gửi kết quả xử lý' })).toBeVisible();
    await officer.getByLabel('Kết quả xử lý').fill('Đã thu gom toàn bộ rác và vệ sinh vỉa hè.');
    await officer.getByLabel('Ảnh kết quả').setInputFiles([
      { name: 'da-don.png', mimeType: 'image/png', buffer: png(40, 30, [90, 200, 90]) },
    ]);
    await expect(officer.getByRole('progressbar', { name: 'Đã tải ảnh lên' })).toHaveJSProperty('value', 100);
    await officer.getByRole('button', { name: 'Gửi kết quả xử lý' }).click();
    await expect(officer.getByRole('img', { name: 'Ảnh kết quả xử lý 1' })).toBeVisible();

    const page = await (await browser.newContext()).newPage();
    await page.goto(`/cases/${id}`);
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Ảnh kết quả xử lý 1' })).toHaveCount(0);

    await coordinator.goto(`/staff/cases/${id}`);
    await coordinator.getByRole('button', { name: 'Duyệt kết quả', exact: true }).click();
    // The outcome is announced beside the button that caused it.
    await expect(coordinator.getByRole('status').filter({ hasText: 'Đã cập nhật.' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('img', { name: 'Ảnh kết quả xử lý 1' })).toBeVisible();
  });
});
