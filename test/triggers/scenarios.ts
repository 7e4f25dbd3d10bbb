// Trigger scenarios shared by the three drivers (core feed, n8n trigger, Node-RED watcher): each
// runs against the emulator's drift controls and counts deliveries by id against ground truth.
import type { RunningEmulator } from '../../emulator';

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
  (emulator: RunningEmulator, tenant: string, options: { maxPerPoll?: number; startFrom?: { mode: 'now' } | { mode: 'hoursAgo'; hours: number }; lookBackMs?: number }): Promise<FeedDriver>;
}

export class DeliveryLedger {
  readonly counts = new Map<string, number>();

  add(items: Record<string, unknown>[]): void {
    for (const item of items) {
      const id = String(item._id);
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

let sequence = 0;
export function newAlerts(emulator: RunningEmulator, tenant: string, count: number, timestamp?: number): string[] {
  const now = timestamp ?? emulator.control.now();
  const partials = Array.from({ length: count }, () => ({ timestamp: now, title: `Scenario alert ${++sequence}` }));
  return emulator.control.insertAlerts(tenant, partials).map((a) => String(a._id));
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
