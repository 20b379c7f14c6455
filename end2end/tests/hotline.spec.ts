// The hotline in a real browser: an operator enters a report for a caller, the coordinator sees it
// with channel hotline and asks for a verification call, the operator logs the call as confirmed,
// and the case's staff timeline shows the call as internal while the public finds nothing before
// screening; the caller claims the report with the one-time code the operator read to them.
import { expect, test } from './fixtures';
import { signIn, SITE_ORIGIN } from './support';

test('an operator takes a report by phone and verifies it by calling back', async ({ browser }) => {
  const title = `Cây đổ chắn đường ${Date.now().toString(36)}`;
  const phone = '0935 246 810';

  const operator = await signIn(browser, 'tongdai');
  await expect(operator).toHaveURL(/\/hotline$/);
  await expect(operator.getByRole('heading', { name: 'Nhập phản ánh qua tổng đài' })).toBeVisible();
  await expect(operator.getByRole('button', { name: 'Gửi phản ánh', exact: true })).toBeEnabled();
  await operator.getByRole('button', { name: 'Ghim tại tâm bản đồ' }).click();
  await expect(operator.getByText('Vị trí đã ghim')).toBeVisible();
  await operator.getByLabel('Lĩnh vực').selectOption({ label: 'Hạ tầng giao thông' });
  await operator.getByLabel('Tiêu đề').fill(title);
  await operator.getByLabel('Nội dung phản ánh').fill('Người gọi báo cây xanh bật gốc sau mưa, chắn nửa lòng đường.');
  await operator.getByLabel('Địa chỉ (không bắt buộc)').fill('45 Trần Hưng Đạo, phường Đồng Phú');
  await operator.getByLabel('Họ và tên').fill('Lê Thị Hoa');
  await operator.getByLabel('Số điện thoại').fill(phone);
  await operator.getByLabel('Thời lượng cuộc gọi (giây)').fill('150');
  await operator.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
  await expect(operator.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
  const number = await operator.getByRole('status').getByRole('strong').textContent();
  const id = Number((number ?? '').replace('#', ''));
  expect(id).toBeGreaterThan(0);

  // The coordinator sees it in screening with channel hotline, and asks for a verification call.
  const coordinator = await signIn(browser, 'dieuphoi');
  await coordinator.goto('/staff/screening');
  const row = coordinator.getByRole('row').filter({ has: coordinator.getByRole('cell', { name: String(id), exact: true }) });
  await expect(row.getByRole('cell', { name: 'Tổng đài', exact: true })).toBeVisible();
  await row.getByRole('link', { name: new RegExp(`^Mở #${id} `) }).click();
  await expect(coordinator.getByText('Lê Thị Hoa · 0935246810')).toBeVisible();
  await coordinator.getByRole('button', { name: 'Yêu cầu gọi xác minh' }).click();
  await expect(coordinator.getByRole('status').filter({ hasText: 'Đã cập nhật.' })).toBeVisible();

  // The operator finds it in the verification queue with the caller's number and logs the call.
  await operator.goto('/hotline/verify');
  const item = operator.getByRole('article').filter({ hasText: title });
  await expect(item.getByText('0935246810').first()).toBeVisible();
  await item.getByLabel('Kết quả cuộc gọi').selectOption({ label: 'Người gọi xác nhận' });
  await item.getByLabel('Thời lượng cuộc gọi (giây)').fill('60');
  await item.getByRole('button', { name: 'Ghi cuộc gọi' }).click();
  await expect(operator.getByRole('article').filter({ hasText: title })).toHaveCount(0);

  // The staff timeline shows both calls as internal; the public page shows neither nor the phone.
  await coordinator.goto(`/staff/cases/${id}`);
  const calls = coordinator.getByRole('listitem').filter({ hasText: 'Cuộc gọi tổng đài' });
  await expect(calls).toHaveCount(2);
  await expect(calls.last().getByText('Nội bộ')).toBeVisible();

  // Still waiting for screening, the case is not public at all: a fresh browser finds nothing.
  const anonymous = await browser.newPage();
  await anonymous.goto(`/cases/${id}`);
  await expect(anonymous.getByText('Không tìm thấy phản ánh này.')).toBeVisible();
  await expect(anonymous.getByRole('heading', { name: title })).toHaveCount(0);
  await expect(anonymous.getByText('Cuộc gọi tổng đài')).toHaveCount(0);
  const html = await anonymous.content();
  expect(html).not.toContain('0935246810');
  expect(html).not.toContain('0935 246 810');
  expect(html).not.toContain('Lê Thị Hoa');
});

test('an inbound status inquiry logged against a case shows on the case for staff', async ({ browser, request }) => {
  const response = await request.post('/api/submit_case', {
    headers: { origin: SITE_ORIGIN },
    data: {
      input: {
        submission_key: `e2e-inquiry-${Date.now()}`,
        category: 'lighting',
        title: 'Đèn đường tắt cả tuần',
        description: 'Cả dãy đèn trên đường Lý Thường Kiệt tắt suốt một tuần nay.',
        lat: 17.47,
        lon: 106.61,
      },
    },
  });
  const id = (await response.json()).id as number;

  const operator = await signIn(browser, 'tongdai');
  await operator.goto('/hotline/calls');
  await expect(operator.getByRole('button', { name: 'Ghi cuộc gọi' })).toBeEnabled();
  await operator.getByLabel('Số điện thoại').fill('0912 000 111');
  await operator.getByLabel('Mục đích cuộc gọi').selectOption({ label: 'Hỏi tình trạng xử lý' });
  await operator.getByLabel('Mã số phản ánh (nếu có)').fill(String(id));
  await operator.getByLabel('Kết quả cuộc gọi').selectOption({ label: 'Đã trả lời' });
  await operator.getByRole('button', { name: 'Ghi cuộc gọi' }).click();
  await expect(operator.getByRole('status').filter({ hasText: 'Đã ghi cuộc gọi.' })).toBeVisible();
  await expect(operator.getByRole('link', { name: `#${id}`, exact: true })).toBeVisible();

  const coordinator = await signIn(browser, 'dieuphoi');
  await coordinator.goto(`/staff/cases/${id}`);
  await expect(coordinator.getByRole('listitem').filter({ hasText: 'Cuộc gọi tổng đài' })).toHaveCount(1);
});

test('the caller claims a phoned-in report with the claim code the operator read to them', async ({ browser }) => {
  const title = `Ống nước vỡ ${Date.now().toString(36)}`;
  const operator = await signIn(browser, 'tongdai');
  await expect(operator.getByRole('button', { name: 'Gửi phản ánh', exact: true })).toBeEnabled();
  await operator.getByRole('button', { name: 'Ghim tại tâm bản đồ' }).click();
  await operator.getByLabel('Lĩnh vực').selectOption({ label: 'Hạ tầng giao thông' });
  await operator.getByLabel('Tiêu đề').fill(title);
  await operator.getByLabel('Nội dung phản ánh').fill('Người gọi báo ống nước vỡ, nước chảy tràn ra đường.');
  await operator.getByLabel('Số điện thoại').fill('0935 111 333');
  await operator.getByLabel('Thời lượng cuộc gọi (giây)').fill('90');
  await operator.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
  await expect(operator.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
  const id = Number(((await operator.getByRole('status').getByRole('strong').textContent()) ?? '').replace('#', ''));

  // The operator is shown the code once, to read to the caller.
  await expect(operator.getByRole('heading', { name: 'Mã nhận phản ánh cho người gọi' })).toBeVisible();
  const code = ((await operator.locator('.claim-code-digits code').textContent()) ?? '').trim();
  expect(code).toMatch(/^\d{8}$/);

  // The caller, signed in, claims it: a wrong code is refused, the right one links the report.
  const citizen = await signIn(browser, 'dan');
  await citizen.goto('/my/claim');
  await expect(citizen.getByRole('heading', { name: 'Nhận phản ánh đã gọi qua tổng đài' })).toBeVisible();
  await expect(citizen.getByRole('button', { name: 'Nhận phản ánh', exact: true })).toBeEnabled();
  await citizen.getByLabel('Mã số phản ánh').fill(String(id));
  await citizen.getByLabel('Mã nhận phản ánh').fill('1234567');
  await citizen.getByRole('button', { name: 'Nhận phản ánh', exact: true }).click();
  await expect(citizen.getByRole('alert').filter({ hasText: 'Mã nhận phản ánh: gồm đúng 8 chữ số.' })).toBeVisible();
  await citizen.getByLabel('Mã nhận phản ánh').fill(`${code.slice(0, 4)} ${code.slice(4)}`);
  await citizen.getByRole('button', { name: 'Nhận phản ánh', exact: true }).click();
  await expect(citizen.getByText('Phản ánh đã được gắn vào tài khoản của bạn.')).toBeVisible();
  await citizen.goto('/my/reports');
  await expect(citizen.getByRole('link', { name: `#${id} · ${title}` })).toBeVisible();
});
