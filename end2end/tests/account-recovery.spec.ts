// Account recovery as people go through it: a citizen adds an e-mail address and confirms it through
// the link the server mailed, forgets the password and sets a new one through the mailed reset link,
// which then works no more, nor does a link half an hour old; an administrator resets a staff
// member's password, and the staff member must set their own at first sign-in. The mail reaches a
// small SMTP relay this spec runs itself on the port the main server is told to mail through.
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { SMTP_PORT, databaseFile } from '../playwright.config';
import { expect, test, type Page } from './fixtures';
import { startRelay, type Mail } from './mail-relay';
import { DEMO_PASSWORD, SITE_ORIGIN, signIn } from './support';

let relay: Awaited<ReturnType<typeof startRelay>>;

test.beforeAll(async () => {
  relay = await startRelay(Number(SMTP_PORT));
});

test.afterAll(async () => {
  await relay.close();
});

/** The link to `page` in the newest message to `address`, once one arrives holding such a link. */
async function mailedLink(address: string, page: 'verify-email' | 'reset-password', seen: number): Promise<string> {
  const pattern = new RegExp(`${escaped(SITE_ORIGIN)}/${page}/[0-9a-f]{64}`);
  let link = '';
  await expect
    .poll(
      () => {
        const found = relay.inbox.slice(seen).filter((mail) => mail.to.includes(address) && pattern.test(mail.body));
        link = found.length ? (found[found.length - 1].body.match(pattern)?.[0] ?? '') : '';
        return link;
      },
      { message: `a ${page} link mailed to ${address}`, timeout: 15_000 },
    )
    .not.toBe('');
  return link;
}

/** `text` matched literally inside a regular expression. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The newest message to `address`. */
function lastMailTo(address: string): Mail {
  const mails = relay.inbox.filter((mail) => mail.to.includes(address));
  return mails[mails.length - 1];
}

/** The page as it stands has no critical or serious WCAG 2.1 AA violation, as axe-core checks it. */
async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, new URL(page.url()).pathname).toEqual([]);
}

/** Asks for a reset link on the forgotten-password page, reached from the sign-in page. */
async function askForReset(page: Page, handle: string): Promise<void> {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Quên mật khẩu?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Quên mật khẩu' })).toBeVisible();
  const send = page.getByRole('button', { name: 'Gửi liên kết đặt lại' });
  await expect(send).toBeEnabled();
  await page.getByLabel('Tên đăng nhập hoặc thư điện tử').fill(handle);
  await send.click();
  await expect(page.getByRole('status')).toContainText('liên kết đặt lại mật khẩu đã được gửi');
}

/** Signs in on the sign-in page with `password`, waiting for the signed-in navigation. */
async function signInWith(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  const submit = page.getByRole('button', { name: 'Đăng nhập', exact: true });
  await expect(submit).toBeEnabled();
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await submit.click();
  await expect(page.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
}

test('a citizen confirms an e-mail address, forgets the password and sets a new one through a link that works once', async ({
  browser,
}) => {
  const username = `dan.khoiphuc${Date.now().toString(36)}`;
  const address = `${username}@example.vn`;
  const page = await (await browser.newContext()).newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(`${page.url()}: ${error.message}`));
  await page.goto('/register');
  const register = page.getByRole('button', { name: 'Đăng ký' });
  await expect(register).toBeEnabled();
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Họ và tên').fill('Phạm Thị Khôi Phục');
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await register.click();
  await expect(page.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();

  // The e-mail address, added on the account page, waits for its confirmation.
  await page.goto('/account');
  const save = page.getByRole('button', { name: 'Lưu thông tin' });
  await expect(save).toBeEnabled();
  await page.getByLabel('Số điện thoại').fill('091 234 5678');
  await page.getByLabel('Thư điện tử').fill('không phải địa chỉ');
  await save.click();
  await expect(page.getByText('Thư điện tử: địa chỉ thư điện tử không hợp lệ.')).toBeVisible();
  const seen = relay.inbox.length;
  await page.getByLabel('Thư điện tử').fill(address);
  await save.click();
  await expect(page.getByRole('status')).toContainText('Một thư xác nhận đã được gửi đến địa chỉ mới');
  await expect(page.getByText('Thư điện tử chưa được xác nhận')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Gửi lại thư xác nhận' })).toBeVisible();
  await expect(page.getByLabel('Số điện thoại')).toHaveValue('0912345678');
  await expectAccessible(page);

  const verification = await mailedLink(address, 'verify-email', seen);
  const message = lastMailTo(address).body;
  expect(message).toContain('Mở liên kết sau để xác nhận');
  expect(message, "the site's public address closes it").toMatch(new RegExp(`${escaped(SITE_ORIGIN)}\\r?\\n`));
  // The server confirms it as it renders the page; the page, once interactive, does not ask again.
  const askedAgain: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/verify_email')) askedAgain.push(request.url());
  });
  await page.goto(verification);
  await expect(page.getByRole('heading', { level: 1, name: 'Xác nhận thư điện tử' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Đã xác nhận địa chỉ thư điện tử');
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('status')).toContainText('Đã xác nhận địa chỉ thư điện tử');
  expect(askedAgain).toEqual([]);
  await page.getByRole('link', { name: 'Về trang tài khoản' }).click();
  await expect(page.getByText('Thư điện tử đã được xác nhận.')).toBeVisible();

  // Signed out, the citizen forgets the password and asks for a link by the address.
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page.getByRole('button', { name: 'Đăng xuất' })).toHaveCount(0);
  const beforeReset = relay.inbox.length;
  await askForReset(page, address.toUpperCase());
  const reset = await mailedLink(address, 'reset-password', beforeReset);
  const resetMessage = lastMailTo(address).body;
  expect(resetMessage).toContain('Mở liên kết sau để đặt mật khẩu mới');
  expect(resetMessage).toContain('30 phút');

  await page.goto(reset);
  await expect(page.getByRole('heading', { level: 1, name: 'Đặt mật khẩu mới' })).toBeVisible();
  await expect(page.getByText(username)).toBeVisible();
  const setPassword = page.getByRole('button', { name: 'Đặt mật khẩu mới' });
  await expect(setPassword).toBeEnabled();
  await page.getByLabel('Mật khẩu mới').fill('ngắn');
  await setPassword.click();
  await expect(page.getByText('Mật khẩu: cần ít nhất 10 ký tự.')).toBeVisible();
  await expectAccessible(page);
  const newPassword = 'mật khẩu mới sau khi quên';
  await page.getByLabel('Mật khẩu mới').fill(newPassword);
  await setPassword.click();
  await expect(page.getByRole('status')).toContainText('Đã đặt mật khẩu mới');
  await page.getByRole('link', { name: 'Đến trang đăng nhập' }).click();
  await expect(page.getByRole('button', { name: 'Đăng nhập', exact: true })).toBeEnabled();
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Sai tên đăng nhập hoặc mật khẩu');
  await signInWith(page, username, newPassword);

  // The link worked once.
  await page.goto(reset);
  await expect(page.getByRole('heading', { level: 1, name: 'Liên kết không dùng được' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Liên kết này đã được dùng');

  // A fresh link left unopened for thirty-one minutes: its issue and expiry are moved back that far
  // in the server's database, as the clock would have moved them, and it opens nothing.
  await page.goto('/account');
  await expect(page.getByRole('button', { name: 'Đổi mật khẩu', exact: true })).toBeEnabled();
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page.getByRole('button', { name: 'Đăng xuất' })).toHaveCount(0);
  const beforeLate = relay.inbox.length;
  await askForReset(page, username);
  const late = await mailedLink(address, 'reset-password', beforeLate);
  const token = late.split('/').pop() ?? '';
  const minutesAgo = (minutes: number) =>
    new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  const database = new Database(databaseFile('sample'));
  try {
    database.pragma('busy_timeout = 10000');
    const moved = database
      .prepare('UPDATE account_links SET issued_at = ?, expires_at = ? WHERE token_hash = ?')
      .run(minutesAgo(31), minutesAgo(1), createHash('sha256').update(token).digest('hex'));
    expect(moved.changes).toBe(1);
  } finally {
    database.close();
  }
  await page.goto(late);
  await expect(page.getByRole('heading', { level: 1, name: 'Liên kết không dùng được' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Liên kết này đã hết hạn');
  await page.getByRole('link', { name: 'Yêu cầu liên kết mới' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Quên mật khẩu' })).toBeVisible();
  expect(failures, 'no page failed in the browser').toEqual([]);
});

test('an administrator resets a staff password, which the staff member must replace at first sign-in', async ({
  browser,
}) => {
  const admin = await signIn(browser, 'quantri');
  await admin.goto('/admin/staff');
  await expect(admin.getByRole('button', { name: 'Tạo tài khoản', exact: true })).toBeEnabled();
  const username = `lanhdao.kp${Date.now().toString(36)}`;
  await admin.getByLabel('Tên đăng nhập').fill(username);
  await admin.getByLabel('Họ và tên').fill('Đặng Văn Lãnh Đạo');
  await admin.getByRole('combobox', { name: 'Vai trò' }).selectOption({ label: 'Lãnh đạo' });
  await admin.getByRole('button', { name: 'Tạo tài khoản', exact: true }).click();
  const invited = await admin.getByRole('status').filter({ hasText: 'Mật khẩu tạm thời' }).locator('code').innerText();

  // The leader sets their own password and works.
  const leader = await (await browser.newContext()).newPage();
  await signInWith(leader, username, invited);
  await expect(leader).toHaveURL(/\/account$/);
  const own = 'mật khẩu riêng của lãnh đạo';
  await leader.getByLabel('Mật khẩu hiện tại').fill(invited);
  await leader.getByLabel('Mật khẩu mới').fill(own);
  await leader.getByRole('button', { name: 'Đổi mật khẩu', exact: true }).click();
  await expect(leader.getByRole('status')).toContainText('Đã đổi mật khẩu');
  await leader.goto('/leader');
  await expect(leader.getByRole('heading', { level: 1, name: 'Tổng quan điều hành' })).toBeVisible();

  // The leader forgets it; the administrator resets it from the staff page.
  await admin.getByRole('button', { name: `Đặt lại mật khẩu ${username}` }).click();
  const panel = admin.getByRole('region', { name: `Đặt lại mật khẩu ${username}` });
  await expect(panel).toContainText('phải đặt mật khẩu riêng ngay khi đăng nhập');
  const issue = panel.getByRole('button', { name: 'Cấp mật khẩu dùng một lần' });
  await expect(issue).toBeEnabled();
  await issue.click();
  const oneTime = await panel.getByRole('status').filter({ hasText: 'Mật khẩu tạm thời' }).locator('code').innerText();
  expect(oneTime).toMatch(/^[0-9a-f]{64}$/);
  await expectAccessible(admin);

  // The leader's session ended; the one-time password lets them do nothing but set their own.
  await leader.reload();
  await expect(leader.getByRole('navigation').getByRole('link', { name: 'Đăng nhập' })).toBeVisible();
  await leader.goto('/login');
  await expect(leader.getByRole('button', { name: 'Đăng nhập', exact: true })).toBeEnabled();
  await leader.getByLabel('Tên đăng nhập').fill(username);
  await leader.getByLabel('Mật khẩu').fill(own);
  await leader.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await expect(leader.getByRole('alert')).toContainText('Sai tên đăng nhập hoặc mật khẩu');
  await signInWith(leader, username, oneTime);
  await expect(leader).toHaveURL(/\/account$/);
  await expect(leader.getByRole('alert')).toContainText('hãy đặt mật khẩu của riêng bạn');
  await leader.goto('/leader');
  // Every section of the dashboard says why it shows nothing.
  await expect(leader.getByText('Tài khoản đang dùng mật khẩu tạm thời').first()).toBeVisible();
  await leader.goto('/account');
  await expect(leader.getByRole('button', { name: 'Đổi mật khẩu', exact: true })).toBeEnabled();
  await leader.getByLabel('Mật khẩu hiện tại').fill(oneTime);
  await leader.getByLabel('Mật khẩu mới').fill('mật khẩu mới của lãnh đạo');
  await leader.getByRole('button', { name: 'Đổi mật khẩu', exact: true }).click();
  await expect(leader.getByRole('status')).toContainText('Đã đổi mật khẩu');
  await leader.goto('/leader');
  await expect(leader.getByRole('heading', { level: 1, name: 'Tổng quan điều hành' })).toBeVisible();
});
