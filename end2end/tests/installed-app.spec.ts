// The citizen's app in Chromium, with its service worker: Chromium finds it installable; with the
// network cut, a report with a photo is kept on the device, survives a reload and a second tab, and
// goes out by itself exactly once when the network returns; a photo's GPS position is offered as the
// pin and the photo is scaled down before upload, its metadata gone once stored; opened offline, the
// app shows the report form, the drafts and the reports sent from the device, never an error page.
import { chromium, expect, test, type BrowserContext, type Page } from './fixtures';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { signIn } from './support';

test.use({ serviceWorkers: 'allow' });
// Each context installs the worker, which caches the whole app shell (the debug build's WebAssembly included).
test.describe.configure({ timeout: 120_000 });

const DEVICES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false },
];

const SUBMIT = 'Gửi phản ánh';
const WAITING = 'Đang chờ gửi';

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

/** A small PNG of one colour, made here so the test needs no fixture files. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (kind: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An EXIF APP1 segment (big-endian TIFF) holding a camera's GPS position in degrees, minutes and seconds. */
function exifWithPosition(lat: [number, number, number], lon: [number, number, number]): Buffer {
  const tiff = Buffer.alloc(26 + 2 + 4 * 12 + 4 + 48);
  tiff.write('MM', 0, 'ascii');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  // IFD0: the pointer to the GPS directory at 26.
  tiff.writeUInt16BE(0x8825, 10);
  tiff.writeUInt16BE(4, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt32BE(26, 18);
  tiff.writeUInt32BE(0, 22);
  tiff.writeUInt16BE(4, 26);
  const rationals = 26 + 2 + 4 * 12 + 4;
  const entry = (at: number, tag: number, type: number, count: number, value: Buffer) => {
    tiff.writeUInt16BE(tag, at);
    tiff.writeUInt16BE(type, at + 2);
    tiff.writeUInt32BE(count, at + 4);
    value.copy(tiff, at + 8);
  };
  const offset = (value: number) => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(value);
    return bytes;
  };
  entry(28, 1, 2, 2, Buffer.from('N\0'));
  entry(40, 2, 5, 3, offset(rationals));
  entry(52, 3, 2, 2, Buffer.from('E\0'));
  entry(64, 4, 5, 3, offset(rationals + 24));
  [...lat, ...lon].forEach((value, index) => {
    // Seconds in hundredths, as cameras write them.
    const denominator = index % 3 === 2 ? 100 : 1;
    tiff.writeUInt32BE(Math.round(value * denominator), rationals + index * 8);
    tiff.writeUInt32BE(denominator, rationals + index * 8 + 4);
  });
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([header, body]);
}

/** A large, detailed camera-sized JPEG made by the browser, with the EXIF position put right after its start. */
async function cameraPhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 2400;
    canvas.height = 1800;
    const context = canvas.getContext('2d')!;
    const pixels = context.createImageData(canvas.width, canvas.height);
    let seed = 7;
    for (let i = 0; i < pixels.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      pixels.data[i] = seed & 0xff;
      pixels.data[i + 1] = (seed >> 8) & 0xff;
      pixels.data[i + 2] = (seed >> 16) & 0xff;
      pixels.data[i + 3] = 255;
    }
    context.putImageData(pixels, 0, 0);
    const blob: Blob = await new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.8));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  });
  const jpeg = Buffer.from(base64, 'base64');
  // 17° 28' 7.56" N, 106° 37' 21.24" E: the centre of Đồng Hới.
  return Buffer.concat([jpeg.subarray(0, 2), exifWithPosition([17, 28, 7.56], [106, 37, 21.24]), jpeg.subarray(2)]);
}

/** Opens the report form and waits until the service worker controls the page and holds the app shell. */
async function openInstalledApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('button', { name: SUBMIT, exact: true })).toBeEnabled();
  // A worker whose install failed never becomes ready: say so instead of waiting out the test.
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'), {
      message: 'the service worker installs and activates',
      timeout: 60_000,
    })
    .toBe('activated');
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // The worker cached the shell while installing; the report form itself is kept once visited under its control.
  await page.reload();
  await expect(page.getByRole('button', { name: SUBMIT, exact: true })).toBeEnabled();
}

/** Fills the report form on `page` without a network: the centre pin, category, title and description. */
async function fillOffline(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'Ghim tại tâm bản đồ' }).click();
  await expect(page.getByText('Vị trí đã ghim')).toBeVisible();
  await page.getByLabel('Lĩnh vực').selectOption({ label: 'Môi trường, vệ sinh' });
  await page.getByLabel('Tiêu đề').fill(title);
  await page.getByLabel('Nội dung phản ánh').fill('Rác thải dồn đống bên đường từ nhiều ngày, bốc mùi và tràn ra lòng đường.');
}

/** Counts the report submissions `context` sends, from its pages and its service worker alike. */
function countSubmissions(context: BrowserContext): () => number {
  let count = 0;
  context.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/submit_case') count += 1;
  });
  return () => count;
}

for (const device of DEVICES) {
  const { viewport, isMobile, hasTouch } = device;

  test(`on a ${device.name}: Chromium finds the app installable, with its manifest in the page's language`, async ({}, testInfo) => {
    // Chromium offers to install only outside incognito profiles, so this browser keeps a profile of its own.
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hientruong-profile-'));
    const { baseURL, launchOptions } = testInfo.project.use;
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: launchOptions?.executablePath,
      args: launchOptions?.args,
      headless: true,
      baseURL,
      viewport,
      isMobile,
      hasTouch,
      serviceWorkers: 'allow',
    });
    const page = await context.newPage();
    await openInstalledApp(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toMatch(/\/manifest\.vi\.webmanifest$/);
    expect(JSON.parse(manifest.data ?? '{}')).toMatchObject({ display: 'standalone', start_url: '/', lang: 'vi' });
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  });

  test(`on a ${device.name}: a report drafted offline with a photo survives a reload and goes out once when the network returns`, async ({ browser }) => {
    const context = await browser.newContext({ viewport, isMobile, hasTouch });
    const submissions = countSubmissions(context);
    const page = await context.newPage();
    await openInstalledApp(page);
    const title = unique('Rác dồn đống khi mất sóng');

    await context.setOffline(true);
    await expect(page.getByText('Bạn đang ngoại tuyến.')).toBeVisible();
    await fillOffline(page, title);
    await page.getByLabel('Đính kèm ảnh').setInputFiles([{ name: 'rac.png', mimeType: 'image/png', buffer: png(80, 60, [90, 140, 40]) }]);
    await expect(page.getByRole('img', { name: 'Ảnh hiện trường: rac.png' })).toBeVisible();
    await expect(page.getByText('Không có mạng: ảnh được giữ trên máy và sẽ gửi cùng phản ánh.')).toBeVisible();
    await page.getByRole('button', { name: SUBMIT, exact: true }).click();
    await expect(page.getByText('Chưa có mạng nên phản ánh được lưu trên máy.')).toBeVisible();
    const waiting = page.getByRole('region', { name: 'Phản ánh chờ gửi trên máy này' }).getByRole('listitem').filter({ hasText: title });
    await expect(waiting).toContainText(WAITING);
    await expect(waiting).toContainText('1 ảnh');

    // Still offline, the page comes back from the device with the draft, which the citizen opens
    // again, photo included, and corrects.
    await page.reload();
    await expect(page.getByRole('button', { name: SUBMIT, exact: true })).toBeEnabled();
    await expect(waiting).toContainText(WAITING);
    await page.getByRole('button', { name: `Sửa: ${title}` }).click();
    await expect(page.getByText('Bạn đang sửa một phản ánh chờ gửi.')).toBeVisible();
    await expect(page.getByLabel('Tiêu đề')).toHaveValue(title);
    await expect(page.getByRole('img', { name: 'Ảnh hiện trường: rac.png' })).toBeVisible();
    const corrected = `${title} (đã sửa)`;
    await page.getByLabel('Tiêu đề').fill(corrected);
    await page.getByRole('button', { name: SUBMIT, exact: true }).click();
    await expect(page.getByText('Chưa có mạng nên phản ánh được lưu trên máy.')).toBeVisible();
    const drafts = page.getByRole('region', { name: 'Phản ánh chờ gửi trên máy này' }).getByRole('listitem');
    await expect(drafts.filter({ hasText: title })).toHaveCount(1);
    await expect(drafts.filter({ hasText: corrected })).toContainText('1 ảnh');

    // A second tab of the same browser sees it too; when the network returns both try to send, and
    // the report goes out once.
    const second = await context.newPage();
    await second.goto('/');
    await expect(second.getByRole('region', { name: 'Phản ánh chờ gửi trên máy này' }).getByText(corrected)).toBeVisible();
    expect(submissions()).toBe(0);
    await context.setOffline(false);

    for (const tab of [page, second]) {
      const sent = tab.getByRole('region', { name: 'Phản ánh đã gửi từ máy này' }).getByRole('listitem').filter({ hasText: corrected });
      await expect(sent).toHaveCount(1);
      await expect(sent.getByRole('link', { name: /^phản ánh #\d+$/ })).toBeVisible();
      await expect(tab.getByRole('region', { name: 'Phản ánh chờ gửi trên máy này' })).toHaveCount(0);
    }
    expect(submissions()).toBe(1);

    // Exactly one case holds the report, with its photo, as the coordinator's screening finds it.
    const link = page.getByRole('region', { name: 'Phản ánh đã gửi từ máy này' }).getByRole('listitem').filter({ hasText: corrected }).getByRole('link');
    const id = Number(((await link.textContent()) ?? '').replace('#', ''));
    const coordinator = await signIn(browser, 'dieuphoi');
    const found = await (await coordinator.request.get(`/api/staff/screening?q=${encodeURIComponent(title)}`)).json();
    expect(found.items.map((item: { case: { id: number } }) => item.case.id)).toEqual([id]);
    await link.click();
    await expect(page.getByRole('heading', { level: 1, name: corrected })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Ảnh hiện trường \d+$/ })).toHaveCount(1);
    await context.close();
  });

  test(`on a ${device.name}: a photo's GPS position is offered as the pin, and the photo is scaled down before upload and stored without metadata`, async ({ browser }) => {
    const context = await browser.newContext({ viewport, isMobile, hasTouch });
    const page = await context.newPage();
    // The sizes of the bodies the page uploads, as the browser hands them to the network.
    await page.addInitScript(() => {
      const uploads: number[] = [];
      (window as unknown as { uploads: number[] }).uploads = uploads;
      const send = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.send = function (body?: Document | XMLHttpRequestBodyInit | null) {
        if (body instanceof Blob) uploads.push(body.size);
        return send.call(this, body);
      };
    });
    await openInstalledApp(page);
    const photo = await cameraPhoto(page);
    const title = unique('Ổ gà chụp tại chỗ');

    await page.getByLabel('Chụp ảnh').setInputFiles([{ name: 'o-ga.jpg', mimeType: 'image/jpeg', buffer: photo }]);
    await expect.poll(() => page.evaluate(() => (window as unknown as { uploads: number[] }).uploads.length)).toBe(1);
    const sentBytes = await page.evaluate(() => (window as unknown as { uploads: number[] }).uploads[0]);
    expect(sentBytes).toBeGreaterThan(0);
    expect(sentBytes).toBeLessThan(photo.length / 2);

    await expect(page.getByText('Ảnh có ghi vị trí chụp.')).toBeVisible();
    await page.getByRole('button', { name: 'Ghim tại nơi chụp ảnh' }).click();
    await expect(page.getByText('Vị trí đã ghim: 17.46877, 106.62257')).toBeVisible();
    await expect(page.getByRole('progressbar', { name: 'Đã tải ảnh lên' })).toHaveJSProperty('value', 100);

    await page.getByLabel('Lĩnh vực').selectOption({ label: 'Môi trường, vệ sinh' });
    await page.getByLabel('Tiêu đề').fill(title);
    await page.getByLabel('Nội dung phản ánh').fill('Ổ gà sâu giữa làn xe máy, chụp ngay tại chỗ bằng điện thoại.');
    await page.getByRole('button', { name: SUBMIT, exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
    await page.goto((await page.getByRole('link', { name: 'Xem phản ánh', exact: true }).getAttribute('href')) ?? '');
    const stored = page.getByRole('img', { name: /^Ảnh hiện trường \d+$/ });
    await expect(stored).toHaveCount(1);
    const link = await page.getByRole('link').filter({ has: stored }).getAttribute('href');
    const source = link ?? (await stored.getAttribute('src')) ?? '';
    const bytes = await (await page.request.get(source)).body();
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(bytes.includes(Buffer.from('Exif\0\0', 'binary'))).toBe(false);
    await context.close();
  });

  test(`on a ${device.name}: opened offline, the app shows the report form, its drafts and the reports sent from it`, async ({ browser }) => {
    const context = await browser.newContext({ viewport, isMobile, hasTouch });
    const page = await context.newPage();
    await openInstalledApp(page);
    // One report sent while online, and its receipt page seen once.
    const sentTitle = unique('Đèn đường tắt cả dãy');
    await fillOffline(page, sentTitle);
    await page.getByRole('button', { name: SUBMIT, exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
    const receiptLink = page.getByRole('link', { name: 'Xem phản ánh', exact: true });
    const receipt = (await receiptLink.getAttribute('href')) ?? '';
    if (isMobile) {
      // On the phone the receipt opens as from its e-mail: a page loaded whole, which the worker keeps.
      await page.goto(receipt);
    } else {
      // On the desktop the router opens it without loading a page; the worker fetches it once to keep it.
      await receiptLink.click();
    }
    await expect(page.getByRole('heading', { level: 1, name: sentTitle })).toBeVisible();
    await expect.poll(() => page.evaluate(async (kept) => (await caches.match(kept)) !== undefined, receipt)).toBe(true);

    // Offline: one more report kept as a draft, then the app is closed and opened again.
    await context.setOffline(true);
    await page.goto('/');
    const draftTitle = unique('Cống thoát nước bị tắc');
    await fillOffline(page, draftTitle);
    await page.getByRole('button', { name: SUBMIT, exact: true }).click();
    await expect(page.getByText('Chưa có mạng nên phản ánh được lưu trên máy.')).toBeVisible();
    const droppedTitle = unique('Phản ánh gửi nhầm');
    await fillOffline(page, droppedTitle);
    await page.getByRole('button', { name: SUBMIT, exact: true }).click();
    await expect(page.getByRole('region', { name: 'Phản ánh chờ gửi trên máy này' }).getByText(droppedTitle)).toBeVisible();
    await page.close();

    const reopened = await context.newPage();
    await reopened.goto('/');
    await expect(reopened.getByRole('heading', { level: 1, name: 'Gửi phản ánh hiện trường' })).toBeVisible();
    await expect(reopened.getByRole('button', { name: SUBMIT, exact: true })).toBeEnabled();
    await expect(reopened.getByRole('region', { name: 'Phản ánh chờ gửi trên máy này' }).getByText(draftTitle)).toBeVisible();
    await expect(reopened.getByRole('region', { name: 'Phản ánh đã gửi từ máy này' }).getByText(sentTitle)).toBeVisible();
    // A report kept by mistake is deleted from the device.
    await reopened.getByRole('button', { name: `Xoá: ${droppedTitle}` }).click();
    await expect(reopened.getByRole('region', { name: 'Phản ánh chờ gửi trên máy này' }).getByText(droppedTitle)).toHaveCount(0);
    // The receipt page as last seen, and for a page never opened a page saying so, not an error.
    await reopened.goto(receipt);
    await expect(reopened.getByRole('heading', { level: 1, name: sentTitle })).toBeVisible();
    await reopened.goto('/stats');
    await expect(reopened.getByRole('heading', { level: 1, name: 'Không có mạng' })).toBeVisible();
    await expect(reopened.getByRole('link', { name: 'gửi phản ánh' })).toBeVisible();

    // Back online, the draft goes out by itself.
    await reopened.goto('/');
    await context.setOffline(false);
    await expect(reopened.getByRole('region', { name: 'Phản ánh đã gửi từ máy này' }).getByText(draftTitle)).toBeVisible();
    await expect(reopened.getByText(droppedTitle)).toHaveCount(0);
    await context.close();
  });
}

test('on a phone short of storage: the worker installs all the same, keeping the files that fit, and the form works', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ viewport: DEVICES[0].viewport, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  // Room for the small files of the shell, none for the app's main WebAssembly (megabytes in the test build).
  const origin = new URL(testInfo.project.use.baseURL ?? '').origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 * 1024 });
  await openInstalledApp(page);
  const kept = await page.evaluate(async () => {
    const shell = (await caches.keys()).find((name) => name.startsWith('hientruong-shell-'));
    if (!shell) return [];
    return (await (await caches.open(shell)).keys()).map((request) => new URL(request.url).pathname);
  });
  expect(kept).toContain('/drafts.js');
  expect(kept).toContain('/offline.html');
  expect(kept.filter((file) => /^\/pkg\/hientruong\.[^/]+\.wasm$/.test(file))).toEqual([]);
  await fillOffline(page, unique('Đèn đường hỏng'));
  await expect(page.getByRole('button', { name: SUBMIT, exact: true })).toBeEnabled();
  await context.close();
});
