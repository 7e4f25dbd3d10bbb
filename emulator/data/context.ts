import { hash32 } from './random';

export interface SeedContext {
  seed: number;
  tenantName: string;
  /** Entra tenant GUID */
  tenantId: string;
  /** MDCA's numeric tenant id (`_tid`, activity `tenantId`) */
  numericTenantId: number;
  /** Newest seeded timestamp; records are spread backwards from here. */
  anchorMs: number;
  portalUrl: string;
}

export const numericTenantIdFor = (tenantName: string): number => 10_000_000 + (hash32(`tid:${tenantName}`) % 89_999_999);

export interface SeedCounts {
  alerts: number;
  activities: number;
  entities: number;
  subnets: number;
  streams: number;
  files: number;
}
export const DEFAULT_COUNTS: SeedCounts = { alerts: 250, activities: 1000, entities: 100, subnets: 10, streams: 3, files: 120 };

export const DAY_MS = 86_400_000;
/** Seeded timelines cover the last 30 days before the anchor. */
export const SPAN_MS = 30 * DAY_MS;
