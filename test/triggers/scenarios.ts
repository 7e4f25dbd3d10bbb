// Trigger scenarios shared by the three drivers (core feed, n8n trigger, Node-RED watcher) and by
// every feed (test/triggers/feeds.ts: MDCA alerts, Graph alerts and incidents): each runs against
// the emulator's drift controls and counts deliveries by id against ground truth.
import type { INodeType, IDataObject } from 'n8n-workflow';
import type { RunningEmulator } from '../../emulator';
import type { RunOptions } from '../../core';
import type { Fault } from '../../emulator/faults';
import type { FlowNode } from '../node-red/helpers';

export type ScenarioStart = { mode: 'now' } | { mode: 'hoursAgo'; hours: number };

export interface ScenarioOptions {
  maxPerPoll?: number;
  startFrom?: ScenarioStart;
  lookBackMs?: number;
}

/** One way of polling a feed: the core directly, an n8n trigger, or a Node-RED watcher. */
export interface FeedDriver {
  /** Runs one poll and returns what it delivered (throws if the poll failed). */
  poll(): Promise<Record<string, unknown>[]>;
  /** Simulates a host restart: a new instance that keeps only the stored cursor. */
  restart(): Promise<void>;
  /** Hook called after each page the poll reads (to insert records mid-poll). */
  onPage?: (handler: (page: number) => void) => void;
}

export interface DriverFactory {
  (emulator: RunningEmulator, tenant: string, options: ScenarioOptions): Promise<FeedDriver>;
}

/** A driver for one feed: the hosts' drivers (hosts.ts) are made per feed. */
export type FeedDriverFactory = (feed: ScenarioFeed) => DriverFactory;

/** The emulator control of a feed's service: faults and the request log per tenant. */
export interface ServiceControl {
  tenant(name: string): unknown;
  injectFaults(tenant: string, faults: Fault[]): void;
  clearFaults(tenant: string): void;
  requestLog(tenant: string): { path: string; status: number; fault?: string }[];
}

/** One cursor poll through the core, with the cursor as the host stores it. */
export type CorePoll = (options: ScenarioOptions, cursor: unknown, now: number, run: RunOptions) => Promise<{ items: unknown[]; cursor: unknown }>;

/** Everything the scenarios and the drivers need to know of a feed. */
export interface ScenarioFeed {
  label: string;
  /** A part of the path of the feed's list requests (faults and page events match it). */
  listPath: string;
  service(emulator: RunningEmulator): ServiceControl;
  /** Makes the tenant ready for the scenarios (e.g. the page size). */
  prepare?(emulator: RunningEmulator, tenant: string): void;
  /** New records at `time` (default: the emulator's now); returns the ids the feed delivers them by. */
  insert(emulator: RunningEmulator, tenant: string, count: number, time?: number): string[];
  idOf(record: Record<string, unknown>): string;
  /** The first run with a large history ("hoursAgo"). */
  backlog: {
    tenant: string;
    hours: number;
    maxPerPoll: number;
    /** Makes the history (idempotent: every driver runs the scenario on the same tenant). */
    setup?(emulator: RunningEmulator): void;
    /** Ids of the records at or after `from` (epoch ms). */
    expected(emulator: RunningEmulator, from: number): string[];
  };
  /** A core client for the tenant, polled by `poll` (a restart makes a new one). */
  core(emulator: RunningEmulator, tenant: string): CorePoll;
  n8n: {
    node(): INodeType;
    /** The node's parameters without its Options collection. */
    parameters: IDataObject;
    credential(emulator: RunningEmulator, tenant: string): { type: string; data: IDataObject };
  };
  nodeRed: {
    type: string;
    event: string;
    cursorKey: string;
    connection(emulator: RunningEmulator, tenant: string): { node: FlowNode; credentials: Record<string, Record<string, string>> };
  };
}

export class DeliveryLedger {
  readonly counts = new Map<string, number>();

  constructor(private readonly idOf: (record: Record<string, unknown>) => string = (r) => String(r._id)) {}

  add(items: Record<string, unknown>[]): void {
    for (const item of items) {
      const id = this.idOf(item);
      this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    }
  }

  duplicates(): string[] {
    return [...this.counts].filter(([, n]) => n > 1).map(([id]) => id);
  }

  missing(expected: string[]): string[] {
    return expected.filter((id) => !this.counts.has(id));
  }
}

/** Every expected id delivered, none twice: the no-miss/no-dup promise of a trigger. */
export function expectEachDeliveredOnce(ledger: DeliveryLedger, expected: string[]): void {
  expect(ledger.duplicates()).toEqual([]);
  expect(ledger.missing(expected)).toEqual([]);
}

/** Polls until a poll delivers nothing (bounded), adding everything to the ledger. */
export async function drain(driver: FeedDriver, ledger: DeliveryLedger, maxPolls = 100): Promise<number> {
  let polls = 0;
  for (; polls < maxPolls; polls++) {
    const items = await driver.poll();
    ledger.add(items);
    if (items.length === 0) break;
  }
  return polls;
}

/**
 * The scenarios for one feed through each driver: paging drift, ties across pages, late records,
 * 429/503 and failures mid-poll, restarts, the per-poll cap and big first runs; 0 duplicates and 0
 * misses by id. Pages hold 100 records (the feed's `prepare` sets that where the service allows).
 */
export function describeTriggerScenarios(feed: ScenarioFeed, drivers: [string, FeedDriverFactory][], emulator: () => RunningEmulator, tenant = 'contoso'): void {
  const insert = (count: number, time?: number) => feed.insert(emulator(), tenant, count, time);
  const service = () => feed.service(emulator());
  const ledger = () => new DeliveryLedger(feed.idOf);

  describe.each(drivers)(`${feed.label}: %s`, (_name, makeFactory) => {
    const factory = makeFactory(feed);
    const start = async (options: ScenarioOptions): Promise<FeedDriver> => {
      feed.prepare?.(emulator(), tenant);
      return factory(emulator(), tenant, options);
    };
    /** A driver whose first poll (from now, nothing old) has stored its cursor. */
    const pastFirstPoll = async (options: ScenarioOptions): Promise<FeedDriver> => {
      const driver = await start(options);
      await driver.poll();
      return driver;
    };

    test('first run from now delivers nothing old; new records arrive once', async () => {
      const driver = await start({});
      expect(await driver.poll()).toEqual([]);
      const ids = insert(5);
      const l = ledger();
      await drain(driver, l);
      expectEachDeliveredOnce(l, ids);
      expect(l.counts.size).toBe(5);
    });

    test('records inserted while a poll is paging', async () => {
      const driver = await pastFirstPoll({ maxPerPoll: 1000 });
      const first = insert(250);
      const inserted: string[] = [];
      const insertOn = new Set([1, 2]);
      driver.onPage?.((page) => {
        // Once per page number: records land behind and ahead of the cursor while it pages.
        if (insertOn.delete(page)) inserted.push(...insert(30, emulator().control.now() - 1_000));
      });
      const l = ledger();
      await drain(driver, l);
      driver.onPage?.(() => undefined);
      expect(inserted).toHaveLength(60); // both mid-poll inserts happened
      expectEachDeliveredOnce(l, [...first, ...inserted]);
    });

    test('300 records with the same timestamp across page boundaries, cap 120 per poll', async () => {
      const driver = await pastFirstPoll({ maxPerPoll: 120 });
      const ids = insert(300, emulator().control.now());
      const l = ledger();
      const sizes: number[] = [];
      for (let i = 0; i < 20; i++) {
        const items = await driver.poll();
        sizes.push(items.length);
        l.add(items);
        if (items.length === 0) break;
      }
      expect(Math.max(...sizes)).toBeLessThanOrEqual(120);
      expectEachDeliveredOnce(l, ids);
    });

    test('a record that appears 3 minutes late with an older timestamp', async () => {
      const driver = await pastFirstPoll({});
      const now = emulator().control.now();
      const onTime = insert(3, now);
      const l = ledger();
      l.add(await driver.poll());
      emulator().control.setClockOffsetMs(emulator().control.clockOffsetMs() + 3 * 60_000);
      const late = insert(1, now - 1);
      await drain(driver, l);
      expectEachDeliveredOnce(l, [...onTime, ...late]);
    });

    test('a 429 and a 503 in the middle of a poll', async () => {
      const driver = await pastFirstPoll({ maxPerPoll: 1000 });
      const ids = insert(350);
      const faultOn = new Set([1, 2]);
      const match = { pathIncludes: feed.listPath };
      driver.onPage?.((page) => {
        if (!faultOn.delete(page)) return;
        if (page === 1) service().injectFaults(tenant, [{ status: 429, headers: { 'Retry-After': '1' }, match }]);
        if (page === 2) service().injectFaults(tenant, [{ status: 503, match }]);
      });
      const l = ledger();
      const logStart = service().requestLog(tenant).length;
      await drain(driver, l);
      driver.onPage?.(() => undefined);
      // Both faults were served to the poll's page requests.
      const faulted = service().requestLog(tenant).slice(logStart).filter((r) => r.path.includes(feed.listPath) && r.fault).map((r) => r.status);
      expect(faulted).toEqual([429, 503]);
      expectEachDeliveredOnce(l, ids);
    });

    test('a poll that fails part-way delivers nothing twice and loses nothing', async () => {
      const driver = await pastFirstPoll({ maxPerPoll: 1000 });
      const ids = insert(250);
      const l = ledger();
      let armed = true;
      driver.onPage?.((page) => {
        // After the first page, the next page fails past the retry budget: the poll fails.
        if (page === 1 && armed) {
          armed = false;
          service().injectFaults(tenant, [{ status: 500, match: { pathIncludes: feed.listPath }, times: 4 }]);
        }
      });
      await expect(driver.poll()).rejects.toMatchObject({ code: 'SERVER_ERROR' });
      driver.onPage?.(() => undefined);
      service().clearFaults(tenant);
      await drain(driver, l);
      expectEachDeliveredOnce(l, ids);
    });

    test('a restart between polls keeps the cursor', async () => {
      const driver = await pastFirstPoll({ maxPerPoll: 50 });
      const ids = insert(120);
      const l = ledger();
      l.add(await driver.poll());
      await driver.restart();
      await drain(driver, l);
      expectEachDeliveredOnce(l, ids);
    });

    test(`first run with a large history and a cap of ${feed.backlog.maxPerPoll}`, async () => {
      const { backlog } = feed;
      backlog.setup?.(emulator());
      const from = emulator().control.now() - backlog.hours * 3_600_000;
      const driver = await factory(emulator(), backlog.tenant, { maxPerPoll: backlog.maxPerPoll, startFrom: { mode: 'hoursAgo', hours: backlog.hours } });
      const l = ledger();
      const sizes: number[] = [];
      for (let i = 0; i < 100; i++) {
        const items = await driver.poll();
        sizes.push(items.length);
        l.add(items);
        if (items.length === 0) break;
      }
      expect(Math.max(...sizes)).toBeLessThanOrEqual(backlog.maxPerPoll);
      // A minute of margin: the hosts place the start by their own clock.
      const expected = backlog.expected(emulator(), from + 60_000);
      expect(expected.length).toBeGreaterThan(5_000);
      expectEachDeliveredOnce(l, expected);
    }, 240_000);
  });
}
