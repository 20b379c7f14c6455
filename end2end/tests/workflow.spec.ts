// The case workflow in a real browser, one browser context per person: a citizen's report screened,
// routed, handled, approved and rated; a report outside the served area rejected with the suggestion
// shown; and a case returned by an agency as "not ours" and rerouted. Each step checks what the next
// person sees.
import { expect, test, type Page, type APIRequestContext } from './fixtures';
import { fillReportForm, openFromQueue, signIn, SITE_ORIGIN } from './support';

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Files a report through the public API, as a client bypassing the form would. */
async function fileReport(request: APIRequestContext, title: string, category: string, lat: number, lon: number): Promise<number> {
  const response = await request.post('/api/submit_case', {
    headers: { origin: SITE_ORIGIN },
    data: {
      input: {
        submission_key: `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
        category,
        title,
        description: 'Phản ánh được tạo bởi kiểm thử đầu cuối để kiểm tra quy trình xử lý.',
        lat,
        lon,
      },
    },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).id as number;
}



test.describe('case workflow', () => {
  test('a report goes from citizen to coordinator to officer and back, and is rated', async ({ browser }) => {
    const title = unique('Rác ven hồ Bàu Tró');

    // The citizen reports from the form while signed in.
    const citizen = await signIn(browser, 'dan');
    await fillReportForm(citizen, title, 'Rác thải sinh hoạt đổ thành đống ven hồ, bốc mùi.');
    await citizen.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
    await expect(citizen.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
    const number = await citizen.getByRole('status').getByRole('strong').textContent();
    const id = Number((number ?? '').replace('#', ''));
    expect(id).toBeGreaterThan(0);
    await citizen.goto('/my/reports');
    await expect(citizen.getByRole('link', { name: `#${id} · ${title}` })).toBeVisible();

    // The coordinator finds it in the screening queue with the suggested agency, and routes it.
    const coordinator = await signIn(browser, 'dieuphoi');
    await openFromQueue(coordinator, '/staff/screening', id);
    await expect(coordinator.getByText('Đơn vị đề xuất: Công ty CP Môi trường và Phát triển đô thị Quảng Bình')).toBeVisible();
    await expect(coordinator.getByLabel('Đơn vị xử lý')).toHaveValue('urenco');
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();

    // The officer of that agency sees it, takes it up and submits a result.
    const officer = await signIn(browser, 'xuly.urenco');
    await openFromQueue(officer, '/staff/agency', id);
    await officer.getByRole('button', { name: 'Nhận xử lý' }).click();
    await expect(officer.getByText('Đang xử lý', { exact: true })).toBeVisible();
    await officer.getByLabel('Kết quả xử lý').fill('Đã thu gom toàn bộ rác và phun khử mùi khu vực.');
    await officer.getByRole('button', { name: 'Gửi kết quả xử lý' }).click();
    await expect(officer.getByText('Đang duyệt kết quả', { exact: true })).toBeVisible();

    // An officer of another agency does not see it.
    const stranger = await signIn(browser, 'xuly.vnpt');
    await stranger.goto('/staff/agency');
    await expect(stranger.getByRole('heading', { name: 'Phản ánh giao cho đơn vị' })).toBeVisible();
    await expect(stranger.getByRole('cell', { name: String(id), exact: true })).toHaveCount(0);

    // The coordinator approves the result from the review queue.
    await openFromQueue(coordinator, '/staff/review', id);
    await coordinator.getByRole('button', { name: 'Duyệt kết quả', exact: true }).click();
    await expect(coordinator.getByText('Đã xử lý', { exact: true })).toBeVisible();

    // The citizen sees the case resolved and rates it.
    await citizen.goto('/my/reports');
    const report = citizen.getByRole('article').filter({ hasText: title });
    await expect(report.getByText('Đã xử lý', { exact: true })).toBeVisible();
    await report.getByLabel('Hài lòng', { exact: true }).check();
    await report.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await expect(report.getByText('Đã đóng', { exact: true })).toBeVisible();
    await expect(report.getByText('Bạn đã đánh giá')).toBeVisible();

    // The public page shows the public steps and never the officer's working.
    const anonymous = await browser.newPage();
    await anonymous.goto(`/cases/${id}`);
    await expect(anonymous.getByRole('heading', { name: title })).toBeVisible();
    await expect(anonymous.getByText('Đã đóng', { exact: true }).first()).toBeVisible();
  });

  test('a report outside the served area is rejected as out of area, with the suggestion shown', async ({ browser, request }) => {
    const title = unique('Ổ gà ở Huế');
    const id = await fileReport(request, title, 'traffic', 16.4637, 107.5909);

    const coordinator = await signIn(browser, 'dieuphoi');
    await coordinator.goto('/staff/screening');
    const row = coordinator.getByRole('row').filter({ has: coordinator.getByRole('cell', { name: String(id), exact: true }) });
    await expect(row.getByText('Ngoài địa bàn')).toBeVisible();
    await row.getByRole('link', { name: new RegExp(`^Mở #${id} `) }).click();
    await expect(coordinator.getByRole('listitem').filter({ hasText: 'Ngoài địa bàn' })).toBeVisible();
    await expect(coordinator.getByLabel('Lý do không tiếp nhận')).toHaveValue('out_of_area');
    // Text typed before the page is interactive would be lost: the button comes alive with it.
    await expect(coordinator.getByRole('button', { name: 'Không tiếp nhận' })).toBeEnabled();
    await coordinator.getByLabel('Giải thích công khai').fill('Vị trí nằm ngoài thành phố Đồng Hới; vui lòng liên hệ địa phương nơi xảy ra sự việc.');
    await coordinator.getByRole('button', { name: 'Không tiếp nhận' }).click();
    await expect(coordinator.getByText('Không đủ điều kiện tiếp nhận', { exact: true })).toBeVisible();

    const anonymous = await browser.newPage();
    await anonymous.goto(`/cases/${id}`);
    await expect(anonymous.getByText('Không đủ điều kiện tiếp nhận').first()).toBeVisible();
    await expect(anonymous.getByText('Vị trí nằm ngoài thành phố Đồng Hới')).toBeVisible();
  });

  test('an officer returns a case as not theirs and the coordinator reroutes it', async ({ browser, request }) => {
    const title = unique('Cột cáp viễn thông nghiêng');
    const id = await fileReport(request, title, 'telecom', 17.47, 106.61);

    const coordinator = await signIn(browser, 'dieuphoi');
    await openFromQueue(coordinator, '/staff/screening', id);
    await expect(coordinator.getByLabel('Đơn vị xử lý')).toHaveValue('vnpt');
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();

    const vnpt = await signIn(browser, 'xuly.vnpt');
    await openFromQueue(vnpt, '/staff/agency', id);
    // The buttons come alive once the page is interactive; text typed before that would be lost.
    const giveBack = vnpt.getByRole('button', { name: 'Trả lại (không thuộc thẩm quyền)' });
    await expect(giveBack).toBeEnabled();
    await vnpt.getByLabel('Lý do trả lại').fill('Cột cáp này thuộc Viettel, không thuộc VNPT.');
    await giveBack.click();
    await expect(vnpt.getByRole('status').filter({ hasText: 'Đã cập nhật.' })).toBeVisible();
    await vnpt.goto('/staff/agency');
    await expect(vnpt.getByRole('heading', { name: 'Phản ánh giao cho đơn vị' })).toBeVisible();
    await expect(vnpt.getByRole('cell', { name: String(id), exact: true })).toHaveCount(0);

    await openFromQueue(coordinator, '/staff/screening', id);
    await expect(coordinator.getByRole('definition').filter({ hasText: /^1$/ })).toBeVisible();
    await expect(coordinator.getByText('Cột cáp này thuộc Viettel, không thuộc VNPT.')).toBeVisible();
    // A choice made before the page is interactive would be lost, and the suggested agency sent instead.
    await expect(coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' })).toBeEnabled();
    await coordinator.getByLabel('Đơn vị xử lý').selectOption({ label: 'Viettel Quảng Bình' });
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();

    const viettel = await signIn(browser, 'xuly.viettel');
    await openFromQueue(viettel, '/staff/agency', id);
    await expect(viettel.getByRole('button', { name: 'Nhận xử lý' })).toBeVisible();
  });
});
