// Signing in as a demo account the way a person does, on the sign-in page, for every spec.
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
  await expect(page.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
}

/** A fresh browser context signed in as `username`: one person each. */
export async function signIn(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInOn(page, username);
  return page;
}
