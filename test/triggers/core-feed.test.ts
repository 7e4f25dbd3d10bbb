// Trigger scenarios (paging drift, ties across pages, late records, 429/503 and failures mid-poll,
// restarts, big first runs) through the core change feed, the n8n trigger node and the Node-RED
// watcher: 0 duplicates, 0 misses by id.
import type { RunningEmulator } from '../../emulator';
import { emulatorPerFile } from '../support/emulator-per-file';
import { FeedCursor, MdcaClient, pollFeed } from '../../core';
import { fastClient } from '../core/helpers';
import { DeliveryLedger, drain, DriverFactory, expectEachDeliveredOnce, FeedDriver, newAlerts } from './scenarios';
import { n8nDriver, nodeRedDriver, stopNodeRed } from './hosts';

let emulator: RunningEmulator;
// The Node-RED runtime of the host drivers (hosts.ts) stops before the emulator closes.
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }, { name: 'history', throttle: false, counts: { alerts: 20_000 } }] }, (e) => (emulator = e), { beforeClose: stopNodeRed });

const coreDriver: DriverFactory = async (emu, tenant, options) => {
  let cursor: FeedCursor | undefined;
  let client: MdcaClient = fastClient(emu, 'appSecret', tenant);
  let pageHandler: ((page: number) => void) | undefined;
  const driver: FeedDriver = {
    async poll() {
      const result = await pollFeed(client, { kind: 'newAlerts', ...options }, cursor, emu.control.now(), {
        onEvent: (e) => {
          if (e.type === 'page') pageHandler?.(e.page);
        },
      });
      cursor = JSON.parse(JSON.stringify(result.cursor)) as FeedCursor; // stored as the host would
      return result.items as Record<string, unknown>[];
    },
    async restart() {
      client = fastClient(emu, 'appSecret', tenant);
    },
    onPage(handler) {
      pageHandler = handler;
    },
  };
  return driver;
};

const drivers: [string, DriverFactory][] = [
  ['core feed', coreDriver],
  ['n8n trigger', n8nDriver],
  ['Node-RED watcher', nodeRedDriver],
];

describe.each(drivers)('%s', (_name, factory) => {
  /** A driver on the contoso tenant whose first poll (from now, nothing old) has stored its cursor. */
  const pastFirstPoll = async (options: Parameters<DriverFactory>[2]): Promise<FeedDriver> => {
    const driver = await factory(emulator, 'contoso', options);
    await driver.poll();
    return driver;
  };

  test('first run from now delivers nothing old; new alerts arrive once', async () => {
    const driver = await factory(emulator, 'contoso', {});
    expect(await driver.poll()).toEqual([]);
    const ids = newAlerts(emulator, 'contoso', 5);
    const ledger = new DeliveryLedger();
    await drain(driver, ledger);
    expectEachDeliveredOnce(ledger, ids);
    expect(ledger.counts.size).toBe(5);
  });

  test('alerts inserted while a poll is paging', async () => {
    const driver = await pastFirstPoll({ maxPerPoll: 1000 });
    const first = newAlerts(emulator, 'contoso', 250);
    const inserted: string[] = [];
    const insertOn = new Set([1, 2]);
    driver.onPage?.((page) => {
      // Once per page number: records land behind and ahead of the cursor while it pages.
      if (insertOn.delete(page)) inserted.push(...newAlerts(emulator, 'contoso', 30, emulator.control.now() - 1_000));
    });
    const ledger = new DeliveryLedger();
    await drain(driver, ledger);
    driver.onPage?.(() => undefined);
    expect(inserted).toHaveLength(60); // both mid-poll inserts happened
    expectEachDeliveredOnce(ledger, [...first, ...inserted]);
  });

  test('300 alerts with the same timestamp across page boundaries, cap 120 per poll', async () => {
    const driver = await pastFirstPoll({ maxPerPoll: 120 });
    const ids = newAlerts(emulator, 'contoso', 300, emulator.control.now());
    const ledger = new DeliveryLedger();
    await drain(driver, ledger);
    expectEachDeliveredOnce(ledger, ids);
  });

  test('a record that appears 3 minutes late with an older timestamp', async () => {
    const driver = await pastFirstPoll({});
    const now = emulator.control.now();
    const onTime = newAlerts(emulator, 'contoso', 3, now);
    const ledger = new DeliveryLedger();
    ledger.add(await driver.poll());
    emulator.control.setClockOffsetMs(emulator.control.clockOffsetMs() + 3 * 60_000);
    const late = newAlerts(emulator, 'contoso', 1, now - 1);
    await drain(driver, ledger);
    expectEachDeliveredOnce(ledger, [...onTime, ...late]);
  });

  test('a 429 and a 503 in the middle of a poll', async () => {
    const driver = await pastFirstPoll({ maxPerPoll: 1000 });
    const ids = newAlerts(emulator, 'contoso', 350);
    const faultOn = new Set([1, 2]);
    driver.onPage?.((page) => {
      if (!faultOn.delete(page)) return;
      if (page === 1) emulator.control.injectFaults('contoso', [{ status: 429, headers: { 'Retry-After': '1' }, match: { pathIncludes: '/alerts' } }]);
      if (page === 2) emulator.control.injectFaults('contoso', [{ status: 503, match: { pathIncludes: '/alerts' } }]);
    });
    const ledger = new DeliveryLedger();
    const logStart = emulator.control.requestLog('contoso').length;
    await drain(driver, ledger);
    driver.onPage?.(() => undefined);
    // Both faults were served to the poll's page requests.
    const faulted = emulator.control.requestLog('contoso').slice(logStart).filter((r) => r.path.includes('/alerts') && r.fault).map((r) => r.status);
    expect(faulted).toEqual([429, 503]);
    expectEachDeliveredOnce(ledger, ids);
  });

  test('a poll that fails part-way delivers nothing twice and loses nothing', async () => {
    const driver = await pastFirstPoll({ maxPerPoll: 1000 });
    const ids = newAlerts(emulator, 'contoso', 250);
    const ledger = new DeliveryLedger();
    let armed = true;
    driver.onPage?.((page) => {
      // After the first page, the next page fails past the retry budget: the poll fails.
      if (page === 1 && armed) {
        armed = false;
        emulator.control.injectFaults('contoso', [{ status: 500, match: { pathIncludes: '/alerts' }, times: 4 }]);
      }
    });
    await expect(driver.poll()).rejects.toMatchObject({ code: 'SERVER_ERROR' });
    driver.onPage?.(() => undefined);
    emulator.control.clearFaults('contoso');
    await drain(driver, ledger);
    expectEachDeliveredOnce(ledger, ids);
  });

  test('a restart between polls keeps the cursor', async () => {
    const driver = await pastFirstPoll({ maxPerPoll: 50 });
    const ids = newAlerts(emulator, 'contoso', 120);
    const ledger = new DeliveryLedger();
    ledger.add(await driver.poll());
    await driver.restart();
    await drain(driver, ledger);
    expectEachDeliveredOnce(ledger, ids);
  });

  test('first run with 20,000 historical alerts and a cap of 500', async () => {
    const driver = await factory(emulator, 'history', { maxPerPoll: 500, startFrom: { mode: 'hoursAgo', hours: 24 * 40 } });
    const ledger = new DeliveryLedger();
    const sizes: number[] = [];
    for (let i = 0; i < 60; i++) {
      const items = await driver.poll();
      sizes.push(items.length);
      ledger.add(items);
      if (items.length === 0) break;
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
    expectEachDeliveredOnce(ledger, emulator.control.listAlerts('history').map((a) => String(a._id)));
  }, 120_000);
});
