// Staff add an e-mail address on their account page and confirm it through the mailed link, as citizens
// do, on a phone and on a desktop: the address is where their daily digests and deadline warnings go,
// while their name stays the one the administrator gave and is not a field of theirs. The mail reaches
// a small SMTP relay this spec runs itself on the port the main server is told to mail through.
import AxeBuilder from '@axe-core/playwright';
import { SMTP_PORT } from '../playwright.config';
import { expect, test, type Browser, type Page } from './fixtures';
import { startRelay } from './mail-relay';
import { signInOn, SITE_ORIGIN } from './support';

const DEVICES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, officer: 'xuly.urenco' },
  { name: 'desktop', viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false, officer: 'xuly.vnpt' },
];

let relay: Awaited<ReturnType<typeof startRelay>>;

test.beforeAll(async () => {
  relay = await startRelay(Number(SMTP_PORT));
});

test.afterAll(async () => {
  await relay.close();
});

async function officerOn(browser: Browser, device: (typeof DEVICES)[number]): Promise<Page> {
  const { viewport, isMobile, hasTouch } = device;
  const page = await (await browser.newContext({ viewport, isMobile, hasTouch })).newPage();
  await signInOn(page, device.officer);
  return page;
}

/** The confirmation link in a message to `address` sent after the first `seen`, once one arrives. */
async function confirmationLink(address: string, seen: number): Promise<string> {
  const pattern = new RegExp(`${SITE_ORIGIN.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/verify-email/[0-9a-f]{64}`);
  let link = '';
  await expect
    .poll(
      () => {
        const found = relay.inbox.slice(seen).find((mail) => mail.to.includes(address) && pattern.test(mail.body));
        link = found?.body.match(pattern)?.[0] ?? '';
        return link;
      },
      { message: `a confirmation link mailed to ${address}`, timeout: 15_000 },
    )
    .not.toBe('');
  return link;
}

for (const device of DEVICES) {
  test(`an officer adds and confirms the address their digests go to, on a ${device.name}`, async ({ browser }) => {
    const page = await officerOn(browser, device);
    const address = `${device.officer}.${Date.now().toString(36)}@example.vn`;
    await page.goto('/account');
    await expect(page.getByRole('heading', { level: 2, name: 'Thông tin cá nhân' })).toBeVisible();
    await expect(page.getByText('Họ tên do quản trị viên quản lý.')).toBeVisible();
    await expect(page.getByLabel('Họ và tên'), 'the name is the administrator’s').toHaveCount(0);
    const save = page.getByRole('button', { name: 'Lưu thông tin' });
    await expect(save).toBeEnabled();
    await page.getByLabel('Thư điện tử').fill('không phải địa chỉ');
    await save.click();
    await expect(page.getByText('Thư điện tử: địa chỉ thư điện tử không hợp lệ.')).toBeVisible();
    const seen = relay.inbox.length;
    await page.getByLabel('Thư điện tử').fill(address);
    await save.click();
    await expect(page.getByRole('status')).toContainText('Một thư xác nhận đã được gửi đến địa chỉ mới');
    await expect(page.getByText('Thư điện tử chưa được xác nhận')).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
    expect(serious.map((v) => v.id)).toEqual([]);

    await page.goto(await confirmationLink(address, seen));
    await expect(page.getByRole('status')).toContainText('Đã xác nhận địa chỉ thư điện tử');
    await page.getByRole('link', { name: 'Về trang tài khoản' }).click();
    await expect(page.getByText('Thư điện tử đã được xác nhận.')).toBeVisible();
    await expect(page.getByLabel('Thư điện tử')).toHaveValue(address);
  });
}
