// An anonymous reporter follows their report by its private receipt link, from the form through
// screening to the result, while a fresh browser finds nothing at the case's address until the
// coordinator screens it.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { fillReportForm, openFromQueue, signIn } from './support';

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A fresh browser, signed in as nobody, opening the public page of case `id`. */
async function stranger(browser: Browser, id: number): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`/cases/${id}`);
  return page;
}

test('an anonymous reporter follows the report by its receipt link while the public sees it only after screening', async ({ browser }) => {
  const title = unique('Đèn đường hỏng ngõ 12');
  const description = 'Ba bóng đèn đường trong ngõ tắt từ tuần trước, buổi tối rất tối và nguy hiểm.';

  // The reporter files the report without signing in.
  const reporter = await (await browser.newContext()).newPage();
  await fillReportForm(reporter, title, description);
  await reporter.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
  await expect(reporter.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
  const id = Number(((await reporter.getByRole('status').getByRole('strong').textContent()) ?? '').replace('#', ''));
  expect(id).toBeGreaterThan(0);

  // The private link is shown once, with the advice to keep it, and the browser keeps it.
  await expect(reporter.getByRole('heading', { name: 'Đường dẫn riêng để theo dõi phản ánh' })).toBeVisible();
  const link = reporter.getByRole('link', { name: /\/receipt\/[0-9a-f]{64}$/ });
  const receipt = new URL(await link.innerText()).pathname;
  expect(await reporter.evaluate(() => localStorage.getItem('hientruong_receipts'))).toContain(receipt);

  // The reporter's own view, waiting for screening.
  await link.click();
  await expect(reporter).toHaveURL(receipt);
  await expect(reporter.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(reporter.getByText(description)).toBeVisible();
  await expect(reporter.getByText('Phản ánh đang chờ tiếp nhận và chưa công khai.')).toBeVisible();

  // A fresh browser finds nothing at the case's address, nor at a made-up receipt.
  const before = await stranger(browser, id);
  await expect(before.getByText('Không tìm thấy phản ánh này.')).toBeVisible();
  await expect(before.getByRole('heading', { name: title })).toHaveCount(0);
  expect(await before.content()).not.toContain(description);
  await before.goto(`/receipt/${'0'.repeat(64)}`);
  await expect(before.getByText('Đường dẫn riêng này không mở được phản ánh nào.')).toBeVisible();

  // The coordinator screens it and routes it: from now on it is public.
  const coordinator = await signIn(browser, 'dieuphoi');
  await openFromQueue(coordinator, '/staff/screening', id);
  await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
  await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();

  const after = await stranger(browser, id);
  await expect(after.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await reporter.reload();
  await expect(reporter.getByRole('definition').filter({ hasText: /^Đã chuyển đơn vị xử lý$/ })).toBeVisible();
  await expect(reporter.getByText('Phản ánh đang chờ tiếp nhận và chưa công khai.')).toHaveCount(0);

  // The agency handles it and the coordinator approves the result; the reporter sees the outcome.
  const officer = await signIn(browser, 'xuly.urenco');
  await openFromQueue(officer, '/staff/agency', id);
  await officer.getByRole('button', { name: 'Nhận xử lý' }).click();
  await expect(officer.getByText('Đang xử lý', { exact: true })).toBeVisible();
  await officer.getByLabel('Kết quả xử lý').fill('Đã thay ba bóng đèn và kiểm tra lại đường dây.');
  await officer.getByRole('button', { name: 'Gửi kết quả xử lý' }).click();
  await expect(officer.getByText('Đang duyệt kết quả', { exact: true })).toBeVisible();
  await openFromQueue(coordinator, '/staff/review', id);
  await coordinator.getByRole('button', { name: 'Duyệt kết quả', exact: true }).click();
  await expect(coordinator.getByText('Đã xử lý', { exact: true })).toBeVisible();

  await reporter.reload();
  await expect(reporter.getByRole('definition').filter({ hasText: /^Đã xử lý$/ })).toBeVisible();
  await after.reload();
  await expect(after.getByRole('definition').filter({ hasText: /^Đã xử lý$/ })).toBeVisible();
});
