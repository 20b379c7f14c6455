// The "get notifications" switch on the reporter's receipt page, a citizen's reports and an officer's
// queue. This browser reaches no push service, so turning it on must end in a clear sentence saying
// why, never in a switch that silently stays off.
import { expect, test } from './fixtures';
import { fillReportForm, signInOn } from './support';

test('the receipt page offers notifications and says so when the browser blocks them', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await fillReportForm(page, `Cống hở nắp ${Date.now().toString(36)}`, 'Nắp cống trước chợ bị vỡ, người đi đường dễ sụp chân.');
  await page.getByRole('button', { name: 'Gửi phản ánh', exact: true }).click();
  await page.getByRole('link', { name: /\/receipt\/[0-9a-f]{64}$/ }).click();
  await expect(page).toHaveURL(/\/receipt\/[0-9a-f]{64}$/);

  const toggle = page.getByRole('switch', { name: 'Nhận thông báo' });
  await expect(toggle).toBeEnabled();
  await expect(toggle).not.toBeChecked();
  await page.evaluate(() => Notification.permission).then((permission) => expect(permission).not.toBe('granted'));
  await toggle.click();
  await expect(page.getByRole('status').filter({ hasText: 'Thông báo đang bị chặn cho trang này.' })).toBeVisible();
  await expect(toggle).not.toBeChecked();
});

test('allowed, but with no push service to reach, the switch says it could not turn on', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['notifications'] });
  const page = await context.newPage();
  await signInOn(page, 'dan');
  await page.goto('/my/reports');
  const toggle = page.getByRole('switch', { name: 'Nhận thông báo' });
  await expect(toggle).toBeEnabled();
  await toggle.click();
  await expect(page.getByRole('status').filter({ hasText: 'Chưa bật được thông báo' })).toBeVisible({ timeout: 30_000 });
  await expect(toggle).not.toBeChecked();
  await expect(toggle).toBeEnabled();
});

test('officers find the switch on their agency queue', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await signInOn(page, 'xuly.urenco');
  await page.goto('/staff/agency');
  await expect(page.getByRole('switch', { name: 'Nhận thông báo' })).toBeEnabled();
});

test('the service worker shows a push message as a notification of its case', async ({ browser }) => {
  // The site's own worker, which imports the push handlers, runs in this context.
  const context = await browser.newContext({ permissions: ['notifications'], serviceWorkers: 'allow' });
  const page = await context.newPage();
  await page.goto('/privacy');
  const origin = new URL(page.url()).origin;
  const cdp = await context.newCDPSession(page);
  const registered = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const found = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (found) resolve(found.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  // `ready` answers once a worker is active, which may still be activating; a push delivered before
  // it has activated may be dropped, so wait for the activation itself.
  await page.evaluate(async () => {
    const worker = (await navigator.serviceWorker.ready).active;
    if (worker && worker.state !== 'activated') {
      await new Promise<void>((resolve) => {
        worker.addEventListener('statechange', () => {
          if (worker.state === 'activated') resolve();
        });
      });
    }
  });
  const payload = {
    case: 41,
    status: 'assigned',
    step: 'accepted',
    title: 'Phản ánh #41: Đã chuyển đơn vị xử lý',
    body: 'Rác thải đổ trộm ven sông',
    url: '/cases/41',
    receipt: false,
    tag: 'case-41',
  };
  await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: await registered, data: JSON.stringify(payload) });
  const shown = () =>
    page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => [n.title, n.body, n.tag, n.data.url]),
    );
  await expect.poll(shown).toEqual([[payload.title, payload.body, 'case-41', '/cases/41']]);
});
