// Drives the core iterator (client.pages) for a fixed time and records when each page arrived.
import type { MdcaClient, ClientEvent } from '../../core';

export interface CoreRunStats {
  items: number;
  pages: Array<{ at: number; items: number }>;
  events: ClientEvent[];
  elapsedMs: number;
  error?: string;
}

export async function runPagesFor(
  client: Pick<MdcaClient, 'pages'>,
  operation: string,
  input: Record<string, unknown>,
  deadlineMs: number,
  options: { maxItems?: number; onEvent?: (e: ClientEvent) => void; keepEvents?: boolean } = {},
): Promise<CoreRunStats> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deadlineMs);
  const start = performance.now();
  const stats: CoreRunStats = { items: 0, pages: [], events: [], elapsedMs: 0 };
  try {
    for await (const page of client.pages(operation, input, {
      maxItems: options.maxItems ?? 10_000_000,
      signal: controller.signal,
      onEvent: (e) => {
        if (options.keepEvents !== false && e.type !== 'page') stats.events.push(e);
        options.onEvent?.(e);
      },
    })) {
      const at = performance.now() - start;
      stats.items += page.items.length;
      stats.pages.push({ at, items: page.items.length });
    }
  } catch (error) {
    if (!controller.signal.aborted) stats.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    clearTimeout(timer);
  }
  stats.elapsedMs = performance.now() - start;
  return stats;
}

/** Items from pages that arrived strictly before `untilMs`. */
export function itemsBefore(pages: Array<{ at: number; items: number }>, untilMs: number): number {
  return pages.filter((p) => p.at < untilMs).reduce((n, p) => n + p.items, 0);
}
