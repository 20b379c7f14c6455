// Open311 in a real browser and over HTTP: an administrator issues an API key, another system files a
// report with it, public from screening on, and a revoked key is refused.
import { expect, test } from './fixtures';
import { signIn } from './support';

test('an administrator issues a key that files Open311 reports, and revokes it', async ({ browser, page, request }) => {
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Đăng nhập', exact: true })).toBeEnabled();
  await page.getByLabel('Tên đăng nhập').fill('quantri');
  await page.getByLabel('Mật khẩu').fill('hientruong-demo');
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  // The administrator lands on the console's overview, and opens the keys from the menu.
  await expect(page.getByRole('heading', { name: 'Tổng quan quản trị' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Khóa API', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Khóa API cho hệ thống liên kết' })).toBeVisible();

  const system = `Ứng dụng thành phố ${Date.now().toString(36)}`;
  await expect(page.getByRole('button', { name: 'Cấp khóa mới' })).toBeEnabled();
  await page.getByLabel('Tên hệ thống').fill(system);
  await page.getByRole('button', { name: 'Cấp khóa mới' }).click();
  const issued = page.getByRole('status').filter({ hasText: 'Khóa API mới' });
  await expect(issued).toBeVisible();
  const key = ((await issued.locator('code').textContent()) ?? '').trim();
  expect(key).toMatch(/^[0-9a-f]{64}$/);

  const description = 'Cống thoát nước bị tắc, nước tràn lên mặt đường Hữu Nghị.';
  const post = await request.post('/open311/v2/requests.json', {
    form: { api_key: key, service_code: 'water', lat: '17.47', long: '106.615', description },
  });
  expect(post.status()).toBe(200);
  const id = (await post.json())[0].service_request_id as string;
  // Waiting for screening, the request is not public: Open311 answers it as a missing one.
  const unscreened = await request.get(`/open311/v2/requests/${id}.xml`);
  expect(unscreened.status()).toBe(404);
  expect(await unscreened.text()).not.toContain(description);

  // Once the coordinator accepts it, other systems read it back.
  const coordinator = await signIn(browser, 'dieuphoi');
  await coordinator.goto(`/staff/cases/${id}`);
  await expect(coordinator.getByText(`Phản ánh #${id}`)).toBeVisible();
  await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
  await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();
  const fetched = await request.get(`/open311/v2/requests/${id}.xml`);
  expect(fetched.status()).toBe(200);
  expect(await fetched.text()).toContain(description);

  await page.getByRole('button', { name: `Thu hồi ${system}` }).click();
  await expect(page.getByRole('row').filter({ hasText: system }).getByText('Đã thu hồi')).toBeVisible();
  const refused = await request.post('/open311/v2/requests.json', {
    form: { api_key: key, service_code: 'water', lat: '17.47', long: '106.615', description },
  });
  expect(refused.status()).toBe(403);
});
