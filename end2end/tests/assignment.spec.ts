// Assignment inside an agency, on a phone and on a desktop: the head of the environment company gives
// a routed case to one of its officers; the officer finds it under "Việc của tôi" with a notice, and
// the case's timeline shows the assignment. Each page touched passes axe.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser, type Page } from './fixtures';
import { openFromQueue, signInOn, SITE_ORIGIN } from './support';

const VIEWPORTS = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false },
];

/** The demo officer of the environment company, as the head's choice and the queue name them. */
const OFFICER = 'Cán bộ Công ty CP Môi trường và Phát triển đô thị Quảng Bình';

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Files a report through the public API inside the pilot area, as the form would. */
async function fileReport(request: APIRequestContext, title: string): Promise<number> {
  const response = await request.post('/api/submit_case', {
    headers: { origin: SITE_ORIGIN },
    data: {
      input: {
        submission_key: `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
        category: 'environment',
        title,
        description: 'Phản ánh được tạo bởi kiểm thử đầu cuối để kiểm tra việc giao việc trong đơn vị.',
        lat: 17.4689,
        lon: 106.6222,
      },
    },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).id as number;
}

/** A person signed in on a device of their own. */
async function personOn(browser: Browser, device: (typeof VIEWPORTS)[number], username: string): Promise<Page> {
  const { viewport, isMobile, hasTouch } = device;
  const page = await (await browser.newContext({ viewport, isMobile, hasTouch })).newPage();
  await signInOn(page, username);
  return page;
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

for (const device of VIEWPORTS) {
  test(`on a ${device.name}, a head assigns a case; the officer finds it in their own cases with a notice`, async ({
    browser,
    request,
  }) => {
    const title = unique('Rác tràn thùng chợ Đồng Hới');
    const id = await fileReport(request, title);
    const coordinator = await personOn(browser, device, 'dieuphoi');
    const routed = await coordinator.request.post('/api/staff/change', {
      headers: { origin: SITE_ORIGIN },
      data: { id, version: 1, request: { action: 'accept', agency: 'urenco' } },
    });
    expect(routed.status()).toBe(200);

    // The head opens it from the agency's queue, where nobody holds it yet, and gives it to the officer.
    const head = await personOn(browser, device, 'truong.urenco');
    await head.goto('/staff/agency');
    const row = head.getByRole('row').filter({ has: head.getByRole('cell', { name: String(id), exact: true }) });
    await expect(row.getByRole('cell', { name: 'Chưa giao', exact: true })).toBeVisible();
    await openFromQueue(head, '/staff/agency', id);
    const assign = head.getByRole('button', { name: 'Giao việc', exact: true });
    await expect(assign).toBeEnabled();
    await head.getByLabel('Giao cho cán bộ').selectOption({ label: OFFICER });
    await assign.click();
    await expect(head.getByRole('status').filter({ hasText: 'Đã cập nhật.' })).toBeVisible();
    await expect(head.getByRole('definition').filter({ hasText: OFFICER })).toBeVisible();
    await expect(head.getByRole('listitem').filter({ hasText: `Đã giao cho ${OFFICER}` })).toBeVisible();
    await expectNoAxeViolations(head);

    // The officer finds it under their own cases, named as its holder, and is told.
    const officer = await personOn(browser, device, 'xuly.urenco');
    await officer.goto('/staff/agency');
    await officer.getByRole('link', { name: 'Việc của tôi', exact: true }).click();
    await expect(officer).toHaveURL(/[?&]mine=true/);
    await expect(officer.getByRole('link', { name: 'Việc của tôi', exact: true })).toHaveAttribute('aria-current', 'page');
    const mine = officer.getByRole('row').filter({ has: officer.getByRole('cell', { name: String(id), exact: true }) });
    await expect(mine.getByRole('cell', { name: OFFICER, exact: true })).toBeVisible();
    await expectNoAxeViolations(officer);
    await officer.goto('/my/notices');
    // Beside the agency's notice of the routing, the officer's own: the assignment, marked new.
    const notice = officer
      .getByRole('listitem')
      .filter({ has: officer.getByRole('link', { name: `#${id} · ${title}` }) })
      .filter({ hasText: 'bạn được giao xử lý' });
    await expect(notice).toHaveCount(1);
    await expect(notice).toContainText('Giao việc trong đơn vị');
    await expect(notice).toContainText('Mới');
    await expectNoAxeViolations(officer);

    // The notice leads to the case, whose timeline shows the assignment; the public's shows nothing of it.
    await notice.getByRole('link', { name: `#${id} · ${title}` }).click();
    await expect(officer.getByText(`Phản ánh #${id}`)).toBeVisible();
    await expect(officer.getByRole('listitem').filter({ hasText: `Đã giao cho ${OFFICER}` })).toBeVisible();
    const visitor = await browser.newPage();
    await visitor.goto(`/cases/${id}`);
    await expect(visitor.getByRole('heading', { name: title })).toBeVisible();
    await expect(visitor.getByText(OFFICER)).toHaveCount(0);
  });
}
