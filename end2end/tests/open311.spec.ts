// Open311 in a real browser and over HTTP: an administrator issues an API key, another system files a
// report with it, the coordinator sees the report with channel api, and a revoked key is refused.
import { expect, test } from './fixtures';

test('an administrator issues a key that files Open311 reports, and revokes it', async ({ page, request }) => {
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Đăng nhập', exact: true })).toBeEnabled();
  await page.getByLabel('Tên đăng nhập').fill('quantri');
  await page.getByLabel('Mật khẩu').fill('hientruong-demo');
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
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
