// A citizen's path through the site in a real browser: filing a report on the map and reading it at its
// private receipt link (never showing the reporter's contact details), form errors caught before anything is sent, a
// double click filing one case only, the remembered language choice, and the public map's list of cases.
import { expect, test, type Page, type Request } from './fixtures';
import { signInOn } from './support';

const SUBMIT_VI = 'Gửi phản ánh';
const SUBMIT_EN = 'Send report';

/** A marker no other case carries, so a test can find exactly its own case. */
function uniqueMarker(): string {
  return `E2E-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The page is interactive once the submit button, disabled in the server's HTML, is enabled. */
async function waitForHydration(page: Page, submitName: string = SUBMIT_VI): Promise<void> {
  await expect(page.getByRole('button', { name: submitName, exact: true })).toBeEnabled();
}

/** Drops the pin by clicking the map itself, above the picker's buttons that share its region. */
async function pinOnMap(page: Page): Promise<void> {
  const map = page.getByRole('region', { name: 'Bản đồ', exact: true });
  const box = await map.boundingBox();
  if (!box) throw new Error('the map region is not visible');
  await map.click({ position: { x: box.width / 2, y: 150 } });
  await expect(page.getByText(/^Vị trí đã ghim: -?\d+\.\d{5}, -?\d+\.\d{5}$/)).toBeVisible();
}

interface Report {
  title: string;
  description: string;
  name?: string;
  phone?: string;
}

/** Pins the map and fills every required field (and the optional contact ones when given). */
async function fillValidReport(page: Page, report: Report): Promise<void> {
  await pinOnMap(page);
  await page.getByLabel('Lĩnh vực', { exact: true }).selectOption({ label: 'Môi trường, vệ sinh' });
  await page.getByLabel('Tiêu đề', { exact: true }).fill(report.title);
  await page.getByLabel('Nội dung phản ánh', { exact: true }).fill(report.description);
  if (report.name !== undefined) await page.getByLabel('Họ và tên', { exact: true }).fill(report.name);
  if (report.phone !== undefined) await page.getByLabel('Số điện thoại', { exact: true }).fill(report.phone);
}

test.describe('citizen report', () => {
  test('a citizen files a report and its private receipt page shows it without the contact details', async ({ page, request }) => {
    const marker = uniqueMarker();
    const report = {
      title: `Rác thải đổ trộm cạnh chợ Đồng Hới ${marker}`,
      description: `Đống rác sinh hoạt bốc mùi hôi thối ở góc đường, đã ba ngày chưa được thu gom (${marker}).`,
      name: 'Nguyễn Thị Hương Kiểm Thử',
      phone: '0912 345 678',
    };

    await page.goto('/');
    await waitForHydration(page);
    await fillValidReport(page, report);
    await page.getByRole('button', { name: SUBMIT_VI, exact: true }).click();

    await expect(page.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
    const caseNumber = page.getByRole('status').getByText(/^#\d+$/);
    await expect(caseNumber).toBeVisible();
    const id = Number((await caseNumber.innerText()).slice(1));
    expect(id).toBeGreaterThan(0);

    // An anonymous report comes with a private receipt link, kept by the browser; it opens the
    // reporter's own view, while the case's public address finds nothing before screening.
    const receipt = page.getByRole('link', { name: /\/receipt\/[0-9a-f]{64}$/ });
    await expect(receipt).toBeVisible();
    const receiptPath = new URL(await receipt.innerText()).pathname;
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('hientruong_receipts') ?? '[]'));
    expect(kept).toContain(receiptPath);
    expect((await request.get(`/api/case?id=${id}`)).status()).toBe(404);

    await page.getByRole('link', { name: 'Xem phản ánh', exact: true }).click();
    await expect(page).toHaveURL(receiptPath);

    const expectPublicCase = async () => {
      await expect(page.getByRole('heading', { level: 1, name: report.title, exact: true })).toBeVisible();
      await expect(page.getByText(report.description, { exact: true })).toBeVisible();
      await expect(page.getByRole('definition').filter({ hasText: /^Chờ tiếp nhận$/ })).toBeVisible();
      const html = await page.content();
      expect(html).not.toContain('0912345678');
      expect(html).not.toContain('0912 345 678');
      expect(html).not.toContain(report.name);
    };
    // Once as the browser navigated to it, once as the server renders it on a fresh load.
    await expectPublicCase();
    await page.reload();
    await expectPublicCase();

    // The server function behind the page does not hand out the contact details either.
    const api = await request.get(`/api/receipt?token=${receiptPath.split('/').pop()}`);
    expect(api.ok()).toBe(true);
    const body = await api.text();
    expect(body).toContain(marker);
    expect(body).not.toContain('0912345678');
    expect(body).not.toContain('0912 345 678');
    expect(body).not.toContain(report.name);
  });

  test('an invalid form shows every field error before any request leaves the browser', async ({ page }) => {
    const sent: string[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' || req.url().includes('/api/')) sent.push(`${req.method()} ${req.url()}`);
    });

    await page.goto('/');
    await waitForHydration(page);
    sent.length = 0;

    await page.getByLabel('Tiêu đề', { exact: true }).fill('abc');
    await page.getByRole('button', { name: SUBMIT_VI, exact: true }).click();

    // The summary on top takes the focus and links each message to its field; each field says its own.
    const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Phản ánh chưa gửi được. Vui lòng sửa:' }) });
    await expect(summary).toBeFocused();
    for (const message of [
      'Tiêu đề: cần ít nhất 5 ký tự.',
      'Nội dung phản ánh: không được để trống.',
      'Vui lòng ghim vị trí trên bản đồ.',
      'Lĩnh vực: không được để trống.',
    ]) {
      await expect(summary.getByRole('link', { name: message, exact: true })).toBeVisible();
    }
    await expect(page.getByLabel('Tiêu đề', { exact: true })).toHaveAccessibleDescription('Tiêu đề: cần ít nhất 5 ký tự.');
    await expect(page.getByLabel('Nội dung phản ánh', { exact: true })).toHaveAccessibleDescription('Nội dung phản ánh: không được để trống.');
    await expect(page.getByText('Vui lòng ghim vị trí trên bản đồ.', { exact: true }).last()).toBeVisible();
    await expect(page.getByLabel('Tiêu đề', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Nội dung phản ánh', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Lĩnh vực', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Họ và tên', { exact: true })).toHaveAttribute('aria-invalid', 'false');

    // Give a request that should not exist time to show up.
    await page.waitForTimeout(500);
    expect(sent).toEqual([]);
  });

  test('a double click on submit files exactly one case', async ({ page, request }) => {
    const marker = uniqueMarker();
    const title = `Cống thoát nước bị tắc nghẽn ${marker}`;

    await page.goto('/');
    await waitForHydration(page);
    await fillValidReport(page, {
      title,
      description: 'Nước mưa ứ đọng trên mặt đường vì cống bị rác lấp kín, xe cộ đi lại rất khó khăn.',
    });

    const submissions: Request[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().includes('/api/submit_case')) submissions.push(req);
    });

    await page.getByRole('button', { name: SUBMIT_VI, exact: true }).dblclick();
    await expect(page.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
    // Let any second submission finish before counting cases.
    await page.waitForLoadState('networkidle');

    expect(submissions.length).toBeGreaterThanOrEqual(1);
    const keys = new Set<string>();
    const ids = new Set<number>();
    for (const submission of submissions) {
      keys.add(submission.postDataJSON().input.submission_key);
      const response = await submission.response();
      expect(response, `no response to ${submission.url()}`).not.toBeNull();
      expect(response!.status()).toBe(200);
      ids.add((await response!.json()).id);
    }
    // However many requests went out, they carried one submission key and named one case.
    expect(keys.size).toBe(1);
    expect(ids.size).toBe(1);

    // The one receipt shown opens that one case, under the title typed.
    const [id] = [...ids];
    const receipt = page.getByRole('link', { name: /\/receipt\/[0-9a-f]{64}$/ });
    await expect(receipt).toHaveCount(1);
    const token = new URL(await receipt.innerText()).pathname.split('/').pop();
    const mine = await request.get(`/api/receipt?token=${token}`);
    expect(mine.ok()).toBe(true);
    expect(await mine.json()).toMatchObject({ id, title });
    await expect(page.getByRole('status').getByText(`#${id}`, { exact: true })).toBeVisible();
  });

  test('the language choice switches the page and is remembered across a reload', async ({ page }) => {
    await page.goto('/');
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Gửi phản ánh hiện trường', exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Report a problem on site', exact: true })).toBeVisible();
    await expect(page.getByLabel('Title', { exact: true })).toBeVisible();

    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Report a problem on site', exact: true })).toBeVisible();
    await waitForHydration(page, SUBMIT_EN);
    await expect(page.getByRole('heading', { level: 1, name: 'Report a problem on site', exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Gửi phản ánh hiện trường', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: SUBMIT_VI, exact: true })).toBeEnabled();
  });

  test('the document language follows the remembered choice after a reload', async ({ page }) => {
    const documentLang = () => page.evaluate(() => document.documentElement.lang);

    await page.goto('/');
    await waitForHydration(page);
    expect(await documentLang()).toBe('vi');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Report a problem on site', exact: true })).toBeVisible();
    expect(await documentLang()).toBe('en');

    await page.reload();
    await waitForHydration(page, SUBMIT_EN);
    expect(await documentLang()).toBe('en');
  });

  test('the public map lists the cases in view with links that open their pages', async ({ page }) => {
    await page.goto('/map');
    await expect(page.getByRole('heading', { level: 1, name: 'Bản đồ phản ánh', exact: true })).toBeVisible();

    const list = page.getByRole('region', { name: 'Phản ánh trong khung nhìn' });
    const picks = list.getByRole('button', { name: /^#\d+ · / });
    await expect(picks.first()).toBeVisible();

    const name = (await picks.first().innerText()).trim();
    const [, id, title] = /^#(\d+) · (.+)$/.exec(name) ?? [];
    expect(id, `unexpected case name ${name}`).toBeDefined();

    await list.getByRole('listitem').filter({ hasText: `#${id} · ` }).getByRole('link', { name: `Mở #${id}` }).click();
    await expect(page).toHaveURL(`/cases/${id}`);
    await expect(page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
  });
});

test('a signed-in citizen finds their name already in the contact, and keeps it for a second report', async ({ page }) => {
  await signInOn(page, 'dan');
  await page.goto('/');
  await waitForHydration(page);
  const name = page.getByLabel('Họ và tên', { exact: true });
  await expect(name).toHaveValue('Nguyễn Văn Dân');
  await fillValidReport(page, { title: `Đèn đường tắt ${uniqueMarker()}`, description: 'Đèn đường tắt cả tuần nay.' });
  await page.getByRole('button', { name: SUBMIT_VI, exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeFocused();
  await page.getByRole('button', { name: 'Gửi phản ánh khác' }).click();
  await expect(name).toHaveValue('Nguyễn Văn Dân');
  await expect(page.getByLabel('Tiêu đề', { exact: true })).toHaveValue('');
});
