// The access log of personal data in a real browser: a coordinator opens a case's staff view with
// the reporter's contact; the administrator finds that view in the access log, filtered by person
// and by case, on a page that passes axe; the leader's dashboard counts the views by role only.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext } from './fixtures';
import { signIn, SITE_ORIGIN } from './support';

/** Files a report with a contact through the form's own server function; answers its number. */
async function fileReportWithContact(request: APIRequestContext, name: string, phone: string): Promise<number> {
  const response = await request.post('/api/submit_case', {
    headers: { origin: SITE_ORIGIN },
    data: {
      input: {
        submission_key: `e2e-access-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
        category: 'environment',
        title: 'Rác thải ùn ứ trước cổng trường',
        description: 'Phản ánh được tạo bởi kiểm thử đầu cuối cho nhật ký truy cập dữ liệu cá nhân.',
        lat: 17.4689,
        lon: 106.6222,
        reporter_name: name,
        reporter_phone: phone,
      },
    },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).id as number;
}

test("the administrator finds a coordinator's view of a reporter's contact in the access log", async ({ browser, request }) => {
  const name = `Người phản ánh ${Math.random().toString(36).slice(2, 8)}`;
  const phone = `0912${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
  const id = await fileReportWithContact(request, name, phone);

  // The coordinator opens the case's staff view, which shows the reporter's contact.
  const coordinator = await signIn(browser, 'dieuphoi');
  await coordinator.goto(`/staff/cases/${id}`);
  await expect(coordinator.getByRole('definition').filter({ hasText: name })).toContainText(phone);

  // The administrator reaches the log through the console's tabs.
  const admin = await signIn(browser, 'quantri');
  await admin.goto('/admin');
  await admin.getByRole('navigation', { name: 'Quản trị hệ thống' }).getByRole('link', { name: 'Nhật ký truy cập' }).click();
  await expect(admin).toHaveURL(/\/admin\/access-log$/);
  await expect(admin.getByRole('heading', { level: 1, name: 'Nhật ký truy cập dữ liệu cá nhân' })).toBeVisible();
  const log = admin.getByRole('table', { name: 'Các lượt xem dữ liệu cá nhân, mới nhất trước' });
  const caseLink = admin.getByRole('link', { name: `#${id}`, exact: true });
  await expect(log.getByRole('row').filter({ has: caseLink }).first()).toBeVisible();

  // Filtered by the person and the case, the coordinator's view shows with who, when, why and which case.
  await admin.getByRole('combobox', { name: 'Cán bộ' }).selectOption('dieuphoi');
  await admin.getByLabel('Mã số phản ánh').fill(`#${id}`);
  await admin.getByRole('button', { name: 'Lọc nhật ký' }).click();
  // The filtered view is the page's address.
  await expect(admin).toHaveURL((url) => url.searchParams.get('person') === 'dieuphoi' && url.searchParams.get('case') === `#${id}`);
  const rows = log.getByRole('row').filter({ has: caseLink });
  await expect(rows).not.toHaveCount(0);
  const row = rows.first();
  await expect(row.getByRole('cell').nth(0)).toHaveText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  await expect(row.getByRole('cell').nth(1)).toContainText('Lê Văn Điều Phối (dieuphoi)');
  await expect(row.getByRole('cell').nth(1)).toContainText('Cán bộ điều phối');
  await expect(row.getByRole('cell').nth(2)).toHaveText('Hồ sơ phản ánh (cán bộ)');
  // Every row of the filtered log is that person's view of that case, and none shows the contact itself.
  const bodyRows = log.locator('tbody').getByRole('row');
  await expect(bodyRows).toHaveCount(await rows.count());
  await expect(log).not.toContainText(phone);
  await expect(log).not.toContainText(name);

  // A filter that is not a case number is named beside its field.
  await admin.getByLabel('Mã số phản ánh').fill('không phải số');
  await admin.getByRole('button', { name: 'Lọc nhật ký' }).click();
  await expect(admin.getByRole('alert').filter({ hasText: 'Mã số phản ánh' })).toBeVisible();

  await admin.goto(`/admin/access-log?person=dieuphoi&case=${id}`);
  await expect(log.getByRole('row').filter({ has: caseLink }).first()).toBeVisible();
  await admin.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page: admin }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => v.id);
  expect(serious).toEqual([]);

  // The leader's dashboard counts the views by role, and shows nothing of what was seen.
  const leader = await signIn(browser, 'lanhdao');
  await leader.goto('/leader');
  const counts = leader.getByRole('table', { name: 'Truy cập dữ liệu cá nhân' });
  await expect(counts.getByRole('row', { name: /Cán bộ điều phối/ })).toBeVisible();
  await expect(counts).not.toContainText(phone);
  await expect(counts).not.toContainText(`#${id}`);
});
