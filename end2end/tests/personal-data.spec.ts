// A citizen's rights over their data, the way a person uses them: the privacy notice beside the
// forms, the download of everything kept about them, and deleting the account, after which their
// report stays public and no staff view shows their name or number.
import fs from 'node:fs';
import { expect, test, type Page } from './fixtures';
import { fillReportForm, openFromQueue, signIn } from './support';

const PASSWORD = 'mat-khau-cong-dan-2026';

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

async function register(page: Page, username: string, name: string): Promise<void> {
  await page.goto('/register');
  const submit = page.getByRole('button', { name: 'Đăng ký', exact: true });
  await expect(submit).toBeEnabled();
  await expect(page.getByRole('link', { name: 'Cách chúng tôi xử lý dữ liệu cá nhân của bạn' })).toBeVisible();
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Họ và tên').fill(name);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await submit.click();
  await expect(page.getByRole('button', { name: 'Đăng xuất', includeHidden: true })).toBeAttached();
}

test.describe('personal data', () => {
  test('the privacy notice states purpose, retention and rights, and every form that asks for personal data links to it', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Gửi phản ánh', exact: true })).toBeEnabled();
    await page.getByRole('group', { name: /Thông tin liên hệ/ }).getByRole('link', { name: 'Cách chúng tôi xử lý dữ liệu cá nhân của bạn' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Thông báo xử lý dữ liệu cá nhân' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Giữ trong bao lâu' })).toBeVisible();
    await expect(page.getByText(/được xoá 12 tháng sau khi phản ánh kết thúc/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Quyền của bạn' })).toBeVisible();
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Privacy notice' })).toBeVisible();
    await expect(page.getByText(/erased 12 months after the report is finished/)).toBeVisible();
  });

  test('a citizen downloads their data, deletes their account, and their report stays public without them', async ({ browser }) => {
    const username = `congdan.${Date.now().toString(36)}`;
    const name = 'Phạm Thị Quyền Riêng';
    const phone = '0987 654 321';
    const title = unique('Đèn đường hỏng');
    const citizen = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await register(citizen, username, name);

    await fillReportForm(citizen, title, 'Cả dãy đèn đường trên phố tắt từ ba hôm nay, buổi tối rất tối.');
    await expect(citizen.getByLabel('Họ và tên')).toHaveValue(name);
    await citizen.getByLabel('Số điện thoại').fill(phone);
    await citizen.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
    await expect(citizen.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
    const number = await citizen.getByRole('status').getByRole('strong').textContent();
    const id = Number((number ?? '').replace('#', ''));
    expect(id).toBeGreaterThan(0);

    // Screened, so the public sees it.
    const coordinator = await signIn(browser, 'dieuphoi');
    await openFromQueue(coordinator, '/staff/screening', id);
    await expect(coordinator.getByText(name)).toBeVisible();
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();

    // Everything kept about them, as one file.
    await citizen.goto('/account');
    const download = citizen.getByRole('link', { name: 'Tải dữ liệu của tôi (JSON)' });
    await expect(download).toBeVisible();
    const [file] = await Promise.all([citizen.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe('hientruong-du-lieu-ca-nhan.json');
    const data = JSON.parse(fs.readFileSync(await file.path(), 'utf8'));
    expect(data.account.username).toBe(username);
    expect(data.reports.map((report: { case: { id: number } }) => report.case.id)).toContain(id);
    const mine = data.reports.find((report: { case: { id: number } }) => report.case.id === id);
    expect(mine.case.title).toBe(title);
    expect(mine.contact.name).toBe(name);
    expect(mine.contact.phone).toBe(phone.replaceAll(' ', ''));

    // Deleting asks for the password again; a wrong one is named.
    const remove = citizen.getByRole('button', { name: 'Xoá vĩnh viễn tài khoản của tôi' });
    await citizen.getByLabel('Mật khẩu hiện tại (để xác nhận)').fill('khong-dung');
    await remove.click();
    await expect(citizen.getByRole('alert').filter({ hasText: 'không đúng mật khẩu' })).toBeVisible();
    await citizen.getByLabel('Mật khẩu hiện tại (để xác nhận)').fill(PASSWORD);
    await remove.click();
    await expect(citizen.getByText('Tài khoản của bạn đã được xoá.')).toBeVisible();
    await expect(citizen.getByRole('link', { name: 'Đăng nhập', includeHidden: true })).toBeAttached();

    // The report stays public, without its reporter.
    await citizen.goto(`/cases/${id}`);
    await expect(citizen.getByRole('heading', { name: title })).toBeVisible();
    await expect(citizen.getByText(name)).toHaveCount(0);

    // No staff view shows their name or number any more.
    await coordinator.goto(`/staff/cases/${id}`);
    await expect(coordinator.getByText(`Phản ánh #${id}`)).toBeVisible();
    await expect(coordinator.getByText('Đã xoá dữ liệu cá nhân').first()).toBeVisible();
    await expect(coordinator.getByText(name)).toHaveCount(0);
    await expect(coordinator.getByText(phone.replaceAll(' ', ''))).toHaveCount(0);
    await expect(coordinator.getByText(phone)).toHaveCount(0);
  });
});
