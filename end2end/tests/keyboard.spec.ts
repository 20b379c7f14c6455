// A citizen on a phone who uses the keyboard alone (a switch, a Bluetooth keyboard, a screen reader's
// keys): they skip the header, hear the form's errors and reach each field from the summary, pin the
// map, fill the form and send it, and hear the confirmation, where the focus lands.
import { expect, test, type Locator, type Page } from '@playwright/test';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** Presses Tab, as a keyboard user does, until `target` holds the focus. */
async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

/** Chooses `label` in the focused drop-down with the arrow keys. */
async function arrowToOption(page: Page, select: Locator, label: string): Promise<void> {
  const count = await select.locator('option').count();
  for (let presses = 0; presses < count; presses++) {
    const chosen = await select.evaluate((element: HTMLSelectElement) => element.selectedOptions[0]?.textContent ?? '');
    if (chosen === label) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no option ${label}`);
}

test('a citizen files a report on a phone with the keyboard alone and hears the confirmation', async ({ page }) => {
  await page.goto('/');
  const submit = page.getByRole('button', { name: 'Gửi phản ánh', exact: true });
  // The submit button is enabled once the page is interactive.
  await expect(submit).toBeEnabled();

  // The first Tab reaches the skip link, which leads past the header to the page's content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Bỏ qua, đến nội dung chính' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  // Sending the empty form: the focus moves to the error summary, which names each field and links to it.
  await tabTo(page, submit);
  await page.keyboard.press('Enter');
  const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Phản ánh chưa gửi được. Vui lòng sửa:' }) });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).not.toHaveCount(0);
  const titleError = summary.getByRole('link', { name: /Tiêu đề/ });
  await tabTo(page, titleError);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Tiêu đề')).toBeFocused();

  // The pin: the map pans with the arrow keys, and a button pins its centre.
  const map = page.getByRole('region', { name: 'Bản đồ', exact: true });
  await tabTo(page, map.locator('.leaflet-container'));
  await page.keyboard.press('ArrowUp');
  const pinCentre = page.getByRole('button', { name: 'Ghim tại tâm bản đồ' });
  await tabTo(page, pinCentre);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Vị trí đã ghim')).toBeVisible();

  const category = page.getByRole('combobox', { name: 'Lĩnh vực' });
  await tabTo(page, category);
  await arrowToOption(page, category, 'Môi trường, vệ sinh');
  await tabTo(page, page.getByLabel('Tiêu đề'));
  await page.keyboard.type('Rác tràn ra đường Quang Trung');
  await tabTo(page, page.getByLabel('Nội dung phản ánh'));
  await page.keyboard.type('Thùng rác đầy từ hai ngày, rác tràn xuống lòng đường.');
  // Once the pin is set, the submit stays at the foot of the phone's screen.
  const bar = await submit.boundingBox();
  expect(bar, 'the submit is drawn').not.toBeNull();
  expect((bar?.y ?? 0) + (bar?.height ?? 0)).toBeLessThanOrEqual(844);
  await tabTo(page, submit);
  await page.keyboard.press('Enter');

  // The live region says it, and the focus lands on the confirmation's heading.
  const live = page.getByRole('status').filter({ hasText: 'Đã nhận phản ánh' });
  await expect(live).toContainText(/Đã nhận phản ánh số #\d+\./);
  await expect(live).toContainText('Cán bộ điều phối xem xét phản ánh');
  await expect(live).toContainText(/cơ quan xử lý có \d+ ngày làm việc/);
  await expect(live.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeFocused();
  // The report as sent stays in view below it.
  await expect(page.getByRole('region', { name: 'Phản ánh bạn đã gửi' })).toContainText('Rác tràn ra đường Quang Trung');
});
