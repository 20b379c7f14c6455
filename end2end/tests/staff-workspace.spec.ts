// The staff workspace and the landing pages in a real browser: a coordinator reads a case's facts,
// accepts it, hears the outcome beside the button, and goes on to the next case of the queue; a
// leader lands on the dashboard's figures; an administrator lands on the console's overview and
// opens the staff map.
import { expect, test, type APIRequestContext } from './fixtures';
import { openFromQueue, signIn, SITE_ORIGIN } from './support';

const DESKTOP = { width: 1366, height: 768 };

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Files a report in Đồng Hới with an address, through the form's own server function. */
async function fileReport(request: APIRequestContext, title: string, address: string): Promise<number> {
  const response = await request.post('/api/submit_case', {
    headers: { origin: SITE_ORIGIN },
    data: {
      input: {
        submission_key: `e2e-ws-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
        category: 'environment',
        title,
        description: 'Phản ánh được tạo bởi kiểm thử đầu cuối cho không gian làm việc của cán bộ.',
        lat: 17.4689,
        lon: 106.6222,
        address,
      },
    },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).id as number;
}

test('a coordinator reads the case, accepts it, hears the outcome beside the button and opens the next case', async ({ browser, request }) => {
  const title = unique('Rác đổ ven đường Lý Thường Kiệt');
  const address = '25 Lý Thường Kiệt, Đồng Hới';
  const id = await fileReport(request, title, address);
  // Another case waits in the queue, whatever the demo data holds.
  await fileReport(request, unique('Rác thải sau chợ Đồng Hới'), 'Chợ Đồng Hới');

  const coordinator = await signIn(browser, 'dieuphoi');
  await coordinator.setViewportSize(DESKTOP);
  await openFromQueue(coordinator, '/staff/screening', id);

  // The case's facts, each under its name.
  const fact = (name: string) => coordinator.getByRole('term').filter({ hasText: new RegExp(`^${name}$`) });
  const value = (text: string | RegExp) => coordinator.getByRole('definition').filter({ hasText: text });
  for (const name of ['Lĩnh vực', 'Địa bàn', 'Địa chỉ', 'Thời điểm gửi', 'Kênh tiếp nhận']) {
    await expect(fact(name)).toBeVisible();
  }
  await expect(value(/^Môi trường, vệ sinh$/)).toBeVisible();
  await expect(value(/^Thành phố Đồng Hới$/)).toBeVisible();
  await expect(value(address)).toBeVisible();
  await expect(value(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/)).toBeVisible();
  await expect(coordinator.getByRole('region', { name: 'Bản đồ phản ánh này và các phản ánh lân cận' })).toBeVisible();

  // On a desktop the actions sit beside the case, not under it.
  const facts = await fact('Lĩnh vực').boundingBox();
  const actions = coordinator.getByRole('complementary', { name: 'Xử lý phản ánh' });
  const actionsBox = await actions.boundingBox();
  expect(actionsBox && facts && actionsBox.x > facts.x + facts.width).toBeTruthy();

  // Each text box is labelled with its own purpose; none is a bare "note".
  await expect(actions.getByRole('textbox', { name: 'Giải thích công khai', exact: true })).toBeVisible();
  await expect(actions.getByRole('textbox', { name: 'Nội dung cần tổng đài gọi xác minh', exact: true })).toBeVisible();
  await expect(actions.getByRole('textbox', { name: 'Ghi chú', exact: true })).toHaveCount(0);

  const accept = actions.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' });
  await expect(accept).toBeEnabled();
  await accept.click();
  // The outcome is announced in the live region of the form whose button was pressed.
  const form = accept.locator('xpath=ancestor::form[1]');
  await expect(form.getByRole('status')).toHaveText('Đã cập nhật.');
  await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();

  // The next case of the screening queue is one click away.
  const next = actions.getByRole('link', { name: /^Phản ánh tiếp theo #\d+/ });
  await expect(next).toBeVisible();
  const nextId = Number(((await next.textContent()) ?? '').match(/#(\d+)/)?.[1]);
  expect(nextId).toBeGreaterThan(0);
  expect(nextId).not.toBe(id);
  await next.click();
  await expect(coordinator).toHaveURL(`/staff/cases/${nextId}`);
  await expect(coordinator.getByText(`Phản ánh #${nextId}`)).toBeVisible();
  await expect(coordinator.getByRole('status').filter({ hasText: 'Đã cập nhật.' })).toHaveCount(0);
  await coordinator.goto('/staff/screening');
  await expect(coordinator.getByRole('cell', { name: String(nextId), exact: true })).toBeVisible();
});

test('a leader lands on the dashboard with the period figures the statistics count', async ({ browser, request }) => {
  const leader = await signIn(browser, 'lanhdao');
  await expect(leader).toHaveURL('/leader');
  await expect(leader.getByRole('heading', { level: 1, name: 'Tổng quan điều hành' })).toBeVisible();
  const figures = leader.getByRole('list', { name: 'Số liệu của kỳ' });
  const received = figures.getByRole('listitem').filter({ hasText: 'Tiếp nhận' });
  await expect(received).toContainText(/\d+/);

  // The same number as the statistics for the same period; other tests may file reports
  // meanwhile, so both are read again until they are read in a quiet moment.
  const details = leader.getByRole('link', { name: 'Xem thống kê đầy đủ của kỳ' });
  await expect(async () => {
    await leader.reload();
    const query = new URL((await details.getAttribute('href')) ?? '', SITE_ORIGIN).search;
    const shown = await received.getByText(/^\d+$/).textContent();
    const stats = await (await request.get(`/api/v1/stats${query}`)).json();
    expect(Number(shown)).toBe(stats.received);
  }).toPass();

  const overdue = leader.getByRole('region', { name: 'Phản ánh đang quá hạn theo đơn vị' });
  await expect(overdue).toBeVisible();
  const agency = overdue.getByRole('link').first();
  if (await agency.count()) await expect(agency).toHaveAttribute('href', /^\/agencies\//);
  await expect(leader.getByRole('link', { name: 'Mở bản đồ điều hành' })).toHaveAttribute('href', '/staff/map');
});

test('an administrator lands on the overview and opens the staff map', async ({ browser }) => {
  const admin = await signIn(browser, 'quantri');
  await admin.setViewportSize(DESKTOP);
  await expect(admin).toHaveURL('/admin');
  await expect(admin.getByRole('heading', { level: 1, name: 'Tổng quan quản trị' })).toBeVisible();
  const pages = admin.getByRole('table', { name: 'Các trang quản trị' });
  for (const name of ['Lĩnh vực', 'Đơn vị xử lý', 'Địa bàn', 'Tài khoản cán bộ', 'Khóa API']) {
    await expect(pages.getByRole('row', { name: new RegExp(`^${name}`) }).getByRole('cell').first()).toHaveText(/^\d+$/);
  }
  await expect(admin.getByRole('region', { name: 'Thay đổi gần đây' })).toBeVisible();

  await admin.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Bản đồ điều hành' }).click();
  await expect(admin).toHaveURL(/\/staff\/map(\?|$)/);
  await expect(admin.getByRole('heading', { level: 1, name: 'Bản đồ phản ánh theo khu vực' })).toBeVisible();
  await expect(admin.getByRole('combobox', { name: 'Lĩnh vực' })).toBeVisible();
  await expect(admin.getByRole('alert').filter({ hasText: /\S/ })).toHaveCount(0);
});
