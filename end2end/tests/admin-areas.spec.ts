// The province rolls out to new districts through the admin console in a real browser: bad boundary
// files are refused naming the problem, a good one is imported and activated, an agency and a route are
// added, and a citizen's report pinned in the new district is suggested for that district's agency while
// a pin outside every active area is flagged out of area.
import { expect, test, type Browser, type Page } from './fixtures';
import path from 'node:path';
import { signIn } from './support';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** Files a report from the form, the pin placed by the browser's own location, as on a phone. */
async function reportFrom(browser: Browser, latitude: number, longitude: number, title: string): Promise<number> {
  const context = await browser.newContext({ geolocation: { latitude, longitude }, permissions: ['geolocation'] });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Gửi phản ánh', exact: true })).toBeEnabled();
  await page.getByRole('button', { name: 'Dùng vị trí của tôi' }).click();
  await expect(page.getByText(`Vị trí đã ghim: ${latitude.toFixed(5)}, ${longitude.toFixed(5)}`)).toBeVisible();
  await page.getByLabel('Lĩnh vực', { exact: true }).selectOption({ label: 'Môi trường, vệ sinh' });
  await page.getByLabel('Tiêu đề', { exact: true }).fill(title);
  await page.getByLabel('Nội dung phản ánh', { exact: true }).fill('Rác thải đổ thành đống ven đường liên xã, bốc mùi.');
  await page.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
  const number = await page.getByRole('status').getByText(/^#\d+$/).innerText();
  await context.close();
  return Number(number.slice(1));
}

async function chooseFile(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  await page.getByLabel('Tệp GeoJSON ranh giới').setInputFiles(typeof file === 'string' ? path.join(FIXTURES, file) : file);
  await page.getByRole('button', { name: 'Nhập địa bàn', exact: true }).click();
}

test.describe('administration', () => {
  test('an admin rolls out a district and new reports there are routed to its agency', async ({ browser }) => {
    const admin = await signIn(browser, 'quantri');
    await admin.getByRole('link', { name: 'Quản trị', exact: true }).click();
    await admin.getByRole('navigation', { name: 'Quản trị hệ thống' }).getByRole('link', { name: 'Địa bàn' }).click();
    await expect(admin.getByRole('heading', { level: 1, name: 'Địa bàn' })).toBeVisible();
    await expect(admin.getByRole('button', { name: 'Nhập địa bàn', exact: true })).toBeEnabled();
    await expect(admin.getByRole('cell', { name: 'dong-hoi', exact: true })).toBeVisible();
    const areaRows = admin.getByRole('row');
    const rowsBefore = await areaRows.count();

    // A ring that does not close: the feature is named, nothing is imported.
    await chooseFile(admin, 'unclosed-ring.geojson');
    await expect(admin.getByRole('alert')).toContainText('Vùng thứ 1 (tan-hoa): vòng ranh giới không khép kín');
    // Not JSON at all.
    await chooseFile(admin, { name: 'ranh-gioi.geojson', mimeType: 'application/json', buffer: Buffer.from('ranh giới: chưa vẽ xong') });
    await expect(admin.getByRole('alert')).toContainText('Tệp ranh giới: không phải JSON hợp lệ');
    // Too large to read: refused before it is read.
    await chooseFile(admin, { name: 'ca-tinh.geojson', mimeType: 'application/json', buffer: Buffer.alloc(11 * 1024 * 1024, 32) });
    await expect(admin.getByRole('alert')).toContainText('tệp nặng 11.0 MB, vượt giới hạn 10.0 MB');
    await expect(areaRows).toHaveCount(rowsBefore);

    // The districts file: imported inactive, then one district activated.
    await chooseFile(admin, 'districts.geojson');
    await expect(admin.getByRole('status')).toContainText('Đã nhập các địa bàn: quang-ninh, le-thuy');
    const quangNinh = admin.getByRole('row').filter({ has: admin.getByRole('cell', { name: 'quang-ninh', exact: true }) });
    await expect(quangNinh.getByRole('cell', { name: 'Ngừng sử dụng', exact: true })).toBeVisible();
    await admin.getByRole('button', { name: 'Kích hoạt Huyện Quảng Ninh' }).click();
    await expect(quangNinh.getByRole('cell', { name: 'Đang sử dụng', exact: true })).toBeVisible();
    await expect(admin.getByRole('region', { name: 'Bản đồ ranh giới địa bàn' })).toBeVisible();

    // The district's committee, and the route for environment reports there.
    await admin.goto('/admin/agencies');
    await expect(admin.getByRole('button', { name: 'Lưu đơn vị' })).toBeEnabled();
    await admin.getByLabel('Mã', { exact: true }).fill('ubnd-quang-ninh');
    await admin.getByLabel('Tên', { exact: true }).fill('UBND huyện Quảng Ninh');
    await admin.getByLabel('Loại đơn vị').selectOption({ label: 'UBND cấp huyện' });
    await admin.getByLabel('Liên hệ').fill('0232 3870 203');
    await admin.getByRole('button', { name: 'Lưu đơn vị' }).click();
    await expect(admin.getByRole('cell', { name: 'UBND huyện Quảng Ninh', exact: true })).toBeVisible();

    await admin.goto('/admin/routes');
    await expect(admin.getByRole('button', { name: 'Lưu phân công' })).toBeEnabled();
    await admin.getByLabel(/^Lĩnh vực/).selectOption({ label: 'Môi trường, vệ sinh' });
    await admin.getByLabel(/^Địa bàn/).selectOption({ label: 'Huyện Quảng Ninh' });
    await admin.getByLabel(/^Đơn vị xử lý/).selectOption({ label: 'UBND huyện Quảng Ninh' });
    await admin.getByRole('button', { name: 'Lưu phân công' }).click();
    await expect(admin.getByRole('button', { name: 'Xóa Môi trường, vệ sinh · Huyện Quảng Ninh' })).toBeVisible();

    // Every change is in the log, with who made it.
    await admin.goto('/admin/changes');
    await expect(admin.getByRole('row').filter({ hasText: 'Phân công' }).filter({ hasText: 'environment @ quang-ninh' })).toContainText('quantri');

    // A coordinator for the new district, bound to it on the staff page.
    await admin.goto('/admin/staff');
    await expect(admin.getByRole('button', { name: 'Tạo tài khoản', exact: true })).toBeEnabled();
    const username = `dieuphoi.qn${Date.now().toString(36)}`;
    await admin.getByLabel('Tên đăng nhập').fill(username);
    await admin.getByLabel('Họ và tên').fill('Võ Thị Điều Phối');
    await admin.getByLabel('Vai trò').selectOption({ label: 'Cán bộ điều phối' });
    await admin.getByRole('checkbox', { name: 'Huyện Quảng Ninh' }).check();
    await admin.getByRole('button', { name: 'Tạo tài khoản', exact: true }).click();
    const issued = admin.getByRole('status').filter({ hasText: 'Mật khẩu tạm thời' });
    const password = await issued.locator('code').innerText();
    await expect(admin.getByRole('row').filter({ hasText: username })).toContainText('Huyện Quảng Ninh');

    // A report pinned in the new district, and one far outside every active area.
    const inside = await reportFrom(browser, 17.22, 106.55, `Rác ven đường xã Gia Ninh ${Date.now()}`);
    const outside = await reportFrom(browser, 16.4637, 107.5909, `Rác bên bờ sông Hương ${Date.now()}`);

    // The district's coordinator screens the district's report, and cannot open the other one.
    const district = await (await browser.newContext()).newPage();
    await district.goto('/login');
    await expect(district.getByRole('button', { name: 'Đăng nhập', exact: true })).toBeEnabled();
    await district.getByLabel('Tên đăng nhập').fill(username);
    await district.getByLabel('Mật khẩu').fill(password);
    await district.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await expect(district.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
    // A one-time password: nothing but setting one's own until it is replaced.
    await expect(district).toHaveURL(/\/account$/);
    await expect(district.getByRole('alert')).toContainText('hãy đặt mật khẩu của riêng bạn');
    await district.goto('/staff/screening');
    await expect(district.getByText('Tài khoản đang dùng mật khẩu tạm thời')).toBeVisible();
    await district.goto('/account');
    await expect(district.getByRole('button', { name: 'Đổi mật khẩu', exact: true })).toBeEnabled();
    await district.getByLabel('Mật khẩu hiện tại').fill(password);
    await district.getByLabel('Mật khẩu mới').fill('mật khẩu riêng của điều phối viên');
    await district.getByRole('button', { name: 'Đổi mật khẩu', exact: true }).click();
    await expect(district.getByRole('status')).toContainText('Đã đổi mật khẩu');
    await district.goto('/staff/screening');
    await expect(district.getByRole('cell', { name: String(inside), exact: true })).toBeVisible();
    await expect(district.getByRole('cell', { name: String(outside), exact: true })).toHaveCount(0);
    // A case outside the district answers as a missing one: the district learns nothing of it.
    await district.goto(`/staff/cases/${outside}`);
    await expect(district.getByText('Không tìm thấy phản ánh này.')).toBeVisible();

    const coordinator = await signIn(browser, 'dieuphoi');
    await coordinator.goto(`/staff/cases/${inside}`);
    await expect(coordinator.getByText('Đơn vị đề xuất: UBND huyện Quảng Ninh')).toBeVisible();
    await expect(coordinator.getByText('Ngoài địa bàn', { exact: true })).toHaveCount(0);
    await expect(coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' })).toBeEnabled();
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Tiếp nhận, chuyển đơn vị xử lý').first()).toBeVisible();
    await coordinator.goto(`/cases/${inside}`);
    await expect(coordinator.getByText('UBND huyện Quảng Ninh')).toBeVisible();

    await coordinator.goto(`/staff/cases/${outside}`);
    await expect(coordinator.getByText('Ngoài địa bàn', { exact: true })).toBeVisible();
  });
});

test('an area named with markup is shown as text and runs no script', async ({ browser }) => {
  const name = '<img src=x onerror=alert(1)>';
  const admin = await signIn(browser, 'quantri');
  const dialogs: string[] = [];
  admin.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await admin.goto('/admin/areas');
  await expect(admin.getByRole('button', { name: 'Nhập địa bàn', exact: true })).toBeEnabled();
  const file = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { code: 'thu-xss', name },
        geometry: { type: 'Polygon', coordinates: [[[106.9, 17.6], [107.0, 17.6], [107.0, 17.7], [106.9, 17.7], [106.9, 17.6]]] },
      },
    ],
  };
  await chooseFile(admin, { name: 'thu.geojson', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(admin.getByRole('status')).toContainText('thu-xss');
  // The list shows the name as written.
  await expect(admin.getByRole('cell', { name, exact: true })).toBeVisible();
  // Every outline's tooltip opened: the new one holds the name as text, no element made of it.
  const outlines = admin.locator('.leaflet-overlay-pane path.leaflet-interactive');
  await expect(outlines.first()).toBeAttached();
  for (const outline of await outlines.all()) await outline.dispatchEvent('mouseover');
  const tooltip = admin.locator('.leaflet-tooltip', { hasText: name });
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toHaveText(name);
  await expect(admin.locator('.leaflet-container img[src="x"]')).toHaveCount(0);
  await admin.reload();
  await expect(admin.getByRole('cell', { name, exact: true })).toBeVisible();
  expect(dialogs, 'no script ran').toEqual([]);
});
