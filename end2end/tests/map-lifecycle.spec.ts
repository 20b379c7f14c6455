// Leaving a page takes its map with it: after twenty trips between the pages with maps, through the
// site's own links, the browser holds exactly one live Leaflet map, the one on the page shown.
import { expect, test, type Page } from './fixtures';
import { signInOn } from './support';

/** Maps made and maps still alive, as Leaflet itself sees them. */
interface MapCount {
  made: number;
  live: number;
}

/** Before any script of the page runs, arranges for Leaflet to report its maps: each map made joins
 * a set as it is constructed, and leaves it when `remove` is called on it. */
async function watchLeafletMaps(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const live = new Set<object>();
    let made = 0;
    (window as unknown as { leafletMapCount: () => MapCount }).leafletMapCount = () => ({ made, live: live.size });
    // leaflet.js publishes itself as `window.L` once all of it is defined; hook in at that moment.
    let leaflet: unknown;
    Object.defineProperty(window, 'L', {
      configurable: true,
      get: () => leaflet,
      set(value) {
        leaflet = value;
        const MapClass = value?.Map;
        if (!MapClass || MapClass.countedByTest) return;
        MapClass.countedByTest = true;
        MapClass.addInitHook(function (this: object) {
          made += 1;
          live.add(this);
        });
        const remove = MapClass.prototype.remove;
        MapClass.prototype.remove = function (this: object, ...args: unknown[]) {
          live.delete(this);
          return remove.apply(this, args);
        };
      },
    });
  });
}

async function mapCount(page: Page): Promise<MapCount> {
  return page.evaluate(() => (window as unknown as { leafletMapCount: () => MapCount }).leafletMapCount());
}

/** The pages with a map a coordinator reaches from the site's navigation, and the map each shows. */
const STOPS = [
  { link: 'Bản đồ phản ánh', map: 'Bản đồ cụm phản ánh' },
  { link: 'Bản đồ điều hành', map: 'Bản đồ cụm phản ánh' },
  { link: 'Gửi phản ánh', map: 'Bản đồ' },
];

test('twenty trips between the map pages leave one live map', async ({ page }) => {
  await watchLeafletMaps(page);
  await signInOn(page, 'dieuphoi');
  const nav = page.getByRole('navigation').first();

  /** Follows the stop's link and waits for its map to be made: `made` maps in all by then. */
  async function visit(stop: (typeof STOPS)[number], made: number): Promise<void> {
    await nav.getByRole('link', { name: stop.link, exact: true }).click();
    await expect(page.getByRole('region', { name: stop.map, exact: true })).toBeVisible();
    await expect.poll(async () => (await mapCount(page)).made).toBe(made);
  }

  // The report form first: its map, made once the page is interactive, is the first of them all.
  await visit(STOPS[2], 1);
  for (let trip = 1; trip <= 20; trip++) {
    await visit(STOPS[(trip - 1) % STOPS.length], trip + 1);
  }

  // Every trip made a map in this same document (a full reload would have started the count again),
  // and only the map of the page shown is left.
  await expect.poll(() => mapCount(page)).toEqual({ made: 21, live: 1 });
});
