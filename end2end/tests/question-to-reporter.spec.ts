// Pausing the clock in a real browser: the officer asks the anonymous reporter for more information,
// the deadline stands still; the reporter reads the question through the receipt link and answers;
// the officer reads the answer on the case's timeline and the deadline runs again. The public sees
// that the clock stood still, never the question or the answer.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './fixtures';
import { fillReportForm, openFromQueue, signIn, signInOn } from './support';

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const DEVICES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false },
];

for (const device of DEVICES) {
  test(`on a ${device.name}: the officer asks, the reporter answers through the receipt link, the deadline runs again`, async ({ browser }) => {
    const title = unique('Cây đổ chắn lối đi');
    const question = unique('Cây đổ trước số nhà nào?');
    const answer = unique('Trước số nhà 21, gần trường tiểu học.');
    const { viewport, isMobile, hasTouch } = device;

    // The reporter files from the form without signing in and keeps the private link.
    const reporter = await (await browser.newContext({ viewport, isMobile, hasTouch })).newPage();
    await fillReportForm(reporter, title, 'Cây lớn đổ sau bão, chắn hết lối đi vào khu dân cư.');
    await reporter.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
    await expect(reporter.getByRole('heading', { name: 'Đã nhận phản ánh' })).toBeVisible();
    const id = Number(((await reporter.getByRole('status').getByRole('strong').textContent()) ?? '').replace('#', ''));
    expect(id).toBeGreaterThan(0);
    const receipt = new URL(await reporter.getByRole('link', { name: /\/receipt\/[0-9a-f]{64}$/ }).innerText()).pathname;

    // Routed to the environment company, whose officer asks a question.
    const coordinator = await signIn(browser, 'dieuphoi');
    await openFromQueue(coordinator, '/staff/screening', id);
    await coordinator.getByRole('button', { name: 'Tiếp nhận và chuyển xử lý' }).click();
    await expect(coordinator.getByText('Đã chuyển đơn vị xử lý', { exact: true })).toBeVisible();
    const officer = await (await browser.newContext({ viewport, isMobile, hasTouch })).newPage();
    await signInOn(officer, 'xuly.urenco');
    await openFromQueue(officer, '/staff/agency', id);
    const ask = officer.getByRole('button', { name: 'Gửi câu hỏi và tạm dừng thời hạn' });
    await expect(ask).toBeEnabled();
    await ask.click();
    await expect(officer.getByRole('alert').filter({ hasText: 'Câu hỏi cho người phản ánh: không được để trống.' })).toBeVisible();
    await officer.getByLabel('Câu hỏi cho người phản ánh').fill(question);
    await officer.getByLabel('Số ngày làm việc chờ trả lời').fill('2');
    await ask.click();
    await expect(officer.getByRole('status').filter({ hasText: 'Đang chờ người phản ánh bổ sung thông tin' })).toBeVisible();
    await expect(officer.getByText(question)).toBeVisible();
    await expectNoAxeViolations(officer);

    // The public sees that the clock stands still, not the question.
    const visitor = await (await browser.newContext({ viewport, isMobile, hasTouch })).newPage();
    await visitor.goto(`/cases/${id}`);
    await expect(visitor.getByText('Đề nghị người phản ánh bổ sung thông tin, tạm dừng thời hạn')).toBeVisible();
    await expect(visitor.getByText(question)).toHaveCount(0);

    // Through the receipt link the reporter reads the question and answers it.
    await reporter.goto(receipt);
    const asked = reporter.getByRole('region', { name: 'Cơ quan xử lý cần thêm thông tin' });
    await expect(asked.getByText(question)).toBeVisible();
    const send = asked.getByRole('button', { name: 'Gửi thông tin bổ sung' });
    await expect(send).toBeEnabled();
    await send.click();
    await expect(asked.getByRole('alert')).toContainText('Thông tin bổ sung: không được để trống.');
    await asked.getByLabel('Thông tin bổ sung').fill(answer);
    await expectNoAxeViolations(reporter);
    await send.click();
    await expect(asked.getByRole('status')).toHaveText('Cảm ơn bạn, thông tin đã được gửi đến cơ quan xử lý.');
    await reporter.reload();
    await expect(reporter.getByRole('region', { name: 'Cơ quan xử lý cần thêm thông tin' })).toHaveCount(0);
    await expect(reporter.getByText('Người phản ánh đã bổ sung thông tin, thời hạn tiếp tục')).toBeVisible();

    // The officer reads the answer on the timeline; nothing waits any more.
    await officer.reload();
    await expect(officer.getByText(answer)).toBeVisible();
    await expect(officer.getByRole('status').filter({ hasText: 'Đang chờ người phản ánh bổ sung thông tin' })).toHaveCount(0);
    await expect(officer.getByRole('button', { name: 'Gửi câu hỏi và tạm dừng thời hạn' })).toBeVisible();
    await visitor.reload();
    await expect(visitor.getByText(answer)).toHaveCount(0);
  });
}
