// Following a place as a citizen does: they confirm their e-mail address, ask to be told of new
// reports in their ward, and when a neighbour's report there is accepted they get an e-mail (at the
// relay this spec runs) and a notice in the app; the area's Atom feed, read by a feed parser, lists
// it. A report never screened tells nobody.
import AxeBuilder from '@axe-core/playwright';
import { parseFeed } from '@rowanmanning/feed-parser';
import { SMTP_PORT } from '../playwright.config';
import { startRelay } from './mail-relay';
import { expect, test, type Page } from './fixtures';
import { DEMO_PASSWORD, SITE_ORIGIN, fillReportForm, openFromQueue, signIn } from './support';

let relay: Awaited<ReturnType<typeof startRelay>>;

test.beforeAll(async () => {
  relay = await startRelay(Number(SMTP_PORT));
});

test.afterAll(async () => {
  await relay.close();
});

async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, new URL(page.url()).pathname).toEqual([]);
}

/** Files a report from the form without signing in, pinned where the form pins; answers its number and its receipt page. */
async function reportAnonymously(page: Page, title: string): Promise<{ id: number; receipt: string }> {
  await fillReportForm(page, title, 'Phản ánh do kiểm thử đầu cuối tạo để kiểm tra thông báo theo khu vực.');
  await page.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
  const number = await page.getByRole('status').getByRole('strong').textContent();
  const receipt = (await page.locator('a.receipt-link').getAttribute('href')) ?? '';
  return { id: Number((number ?? '').replace('#', '')), receipt };
}

test('a citizen watching a ward is mailed and told in the app of a new report there once it is accepted', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const stamp = Date.now().toString(36);
  const username = `dan.khuvuc${stamp}`;
  const address = `${username}@example.vn`;

  // The neighbour's first report shows which ward the form's pin lies in; it is never screened.
  const neighbour = await (await browser.newContext()).newPage();
  const probe = await reportAnonymously(neighbour, `Thăm dò khu vực ${stamp}`);
  await neighbour.goto(probe.receipt);
  const location = await neighbour.getByRole('definition').filter({ hasText: ',' }).first().textContent();
  const ward = (location ?? '').split(' · ').pop()?.trim() ?? '';
  expect(ward, 'the pin lies in a served area').not.toBe('');

  // The citizen registers and confirms an address through the link mailed to it.
  const citizen = await (await browser.newContext()).newPage();
  await citizen.goto('/register');
  const register = citizen.getByRole('button', { name: 'Đăng ký' });
  await expect(register).toBeEnabled();
  await citizen.getByLabel('Tên đăng nhập').fill(username);
  await citizen.getByLabel('Họ và tên').fill('Lê Thị Khu Vực');
  await citizen.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await register.click();
  await expect(citizen.getByRole('button', { name: 'Đăng xuất', includeHidden: true })).toBeAttached();
  await citizen.goto('/account');
  const save = citizen.getByRole('button', { name: 'Lưu thông tin' });
  await expect(save).toBeEnabled();
  await citizen.getByLabel('Thư điện tử').fill(address);
  await save.click();
  await expect(citizen.getByRole('status')).toContainText('Một thư xác nhận đã được gửi');
  const verifyLink = new RegExp(`${SITE_ORIGIN.replace(/[.]/g, '\\.')}/verify-email/[0-9a-f]{64}`);
  let link = '';
  await expect
    .poll(() => {
      const mail = relay.inbox.find((m) => m.to.includes(address) && verifyLink.test(m.body));
      link = mail?.body.match(verifyLink)?.[0] ?? '';
      return link;
    })
    .not.toBe('');
  await citizen.goto(link);
  await expect(citizen.getByRole('status')).toContainText('Đã xác nhận địa chỉ thư điện tử');

  // On the notices page the citizen asks to be told at once of new reports in the ward.
  await citizen.goto('/my/notices');
  await expect(citizen.getByRole('heading', { name: 'Thông báo theo khu vực' })).toBeVisible();
  const watch = citizen.getByRole('button', { name: 'Theo dõi khu vực này' });
  await expect(watch).toBeEnabled();
  await watch.click();
  await expect(citizen.getByText('Địa bàn: không được để trống.')).toBeVisible();
  const areaChoice = citizen.getByLabel('Địa bàn', { exact: true });
  await areaChoice.selectOption({ label: ward });
  // The feed below is filtered by the ward's code, which the form sends for its name.
  const areaCode = await areaChoice.inputValue();
  await citizen.getByLabel('Ngay khi có phản ánh mới').check();
  await watch.click();
  await expect(citizen.getByRole('status')).toContainText('Đã lưu');
  await expect(citizen.getByRole('button', { name: new RegExp(`^Bỏ theo dõi — ${ward}`) })).toBeVisible();
  await expectAccessible(citizen);

  // The neighbour reports a problem in the same place; the coordinator accepts it.
  const report = await reportAnonymously(neighbour, `Cây đổ chắn đường ${stamp}`);
  const coordinator = await signIn(browser, 'dieuphoi');
  await openFromQueue(coordinator, '/staff/screening', report.id);
  await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
  await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();

  // One e-mail reaches the citizen, naming the new report and linking to it; the probe is not in it.
  await expect
    .poll(() => relay.inbox.filter((m) => m.to.includes(address) && m.body.includes(`/cases/${report.id}`)).length, {
      timeout: 30_000,
    })
    .toBe(1);
  const alertMail = relay.inbox.find((m) => m.to.includes(address) && m.body.includes(`/cases/${report.id}`));
  expect(alertMail?.body).toContain(`Cây đổ chắn đường ${stamp}`);
  expect(relay.inbox.some((m) => m.to.includes(address) && m.body.includes(`/cases/${probe.id}`))).toBe(false);

  // The notice waits in the app, marked new.
  await citizen.goto('/my/notices');
  const notice = citizen.getByRole('listitem').filter({
    has: citizen.getByRole('link', { name: `#${report.id} · Cây đổ chắn đường ${stamp}` }),
  });
  await expect(notice).toContainText('Mới');
  await expect(notice).toContainText('phản ánh mới trong khu vực bạn theo dõi');

  // The area's Atom feed is valid Atom 1.0 to a feed parser, and lists the report with its link.
  const response = await citizen.request.get(`/api/v1/cases.atom?area=${encodeURIComponent(areaCode)}`);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/atom+xml');
  const feed = parseFeed(await response.text());
  expect(feed.meta.type).toBe('atom');
  expect(feed.meta.version).toBe('1.0');
  expect(feed.title).toBeTruthy();
  expect(feed.updated).toBeInstanceOf(Date);
  const entry = feed.items.find((item) => item.url === `${SITE_ORIGIN}/cases/${report.id}`);
  expect(entry, 'the feed lists the accepted report').toBeTruthy();
  expect(entry?.title).toContain(`Cây đổ chắn đường ${stamp}`);
  expect(entry?.id).toBeTruthy();
  expect(entry?.updated).toBeInstanceOf(Date);
  expect(feed.items.some((item) => item.url === `${SITE_ORIGIN}/cases/${probe.id}`), 'never the unscreened probe').toBe(
    false,
  );
});

test('a signed-in citizen follows a public case from its page and can stop', async ({ browser }) => {
  const citizen = await signIn(browser, 'dan');
  await citizen.goto('/map');
  const anyCase = await citizen.evaluate(async () => {
    const response = await fetch('/api/v1/cases.geojson?status=assigned');
    const body = await response.json();
    return body.features.length ? Number(body.features[0].id ?? body.features[0].properties.id) : 0;
  });
  expect(anyCase).toBeGreaterThan(0);
  await citizen.goto(`/cases/${anyCase}`);
  const follow = citizen.getByRole('button', { name: 'Theo dõi phản ánh này' });
  await expect(follow).toBeEnabled();
  await follow.click();
  const following = citizen.getByRole('button', { name: 'Đang theo dõi · Bỏ theo dõi' });
  await expect(following).toHaveAttribute('aria-pressed', 'true');
  await citizen.reload();
  await expect(following).toBeVisible();
  await following.click();
  await expect(follow).toHaveAttribute('aria-pressed', 'false');

  // Without signing in, the page offers to sign in instead.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`/cases/${anyCase}`);
  await expect(visitor.getByRole('link', { name: 'Đăng nhập để theo dõi phản ánh này' })).toBeVisible();
});
