// What several specs do the way a person does: signing in as a demo account on the sign-in page,
// filling the report form, and opening a case from a staff queue.
import { expect, type Browser, type Page } from './fixtures';

/** The password every demo account shares (listed in the README for training). */
export const DEMO_PASSWORD = 'hientruong-demo';

/** What the site's own pages send as `Origin`: the server refuses state changes from anywhere else. */
export const SITE_ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? '3123'}`;

/** Signs `page` in as `username` and waits until the site shows the signed-in navigation. */
export async function signInOn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  const submit = page.getByRole('button', { name: 'Đăng nhập', exact: true });
  await expect(submit).toBeEnabled();
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await submit.click();
  // On a phone the sign-out button waits in the folded menu.
  await expect(page.getByRole('button', { name: 'Đăng xuất', includeHidden: true })).toBeAttached();
}

/** A fresh browser context signed in as `username`: one person each. */
export async function signIn(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInOn(page, username);
  return page;
}

/** Opens the report form on `page`, pins the map near its centre and fills the required fields. */
export async function fillReportForm(page: Page, title: string, description: string): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Gửi phản ánh', exact: true })).toBeEnabled();
  const map = page.getByRole('region', { name: 'Bản đồ', exact: true });
  const box = await map.boundingBox();
  if (!box) throw new Error('map not visible');
  await page.mouse.click(box.x + box.width / 2, box.y + 150);
  await expect(page.getByText('Vị trí đã ghim')).toBeVisible();
  await page.getByLabel('Lĩnh vực').selectOption({ label: 'Môi trường, vệ sinh' });
  await page.getByLabel('Tiêu đề').fill(title);
  await page.getByLabel('Nội dung phản ánh').fill(description);
}

/** Opens case `id` from a staff queue page, the way staff reach it. */
export async function openFromQueue(page: Page, queuePath: string, id: number): Promise<void> {
  await page.goto(queuePath);
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: String(id), exact: true }) });
  await expect(row).toBeVisible();
  await row.getByRole('link', { name: new RegExp(`^Mở #${id} `) }).click();
  await expect(page.getByText(`Phản ánh #${id}`)).toBeVisible();
}
