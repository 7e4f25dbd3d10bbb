// Trigger scenarios (paging drift, ties across pages, late records, 429/503 and failures mid-poll,
// restarts, big first runs) for MDCA new alerts through the core change feed, the n8n trigger node
// and the Node-RED watcher: 0 duplicates, 0 misses by id (scenarios.ts; the Graph feeds run the
// same scenarios in graph-alert-feed.test.ts and graph-incident-feed.test.ts).
import type { RunningEmulator } from '../../emulator';
import { emulatorPerFile } from '../support/emulator-per-file';
import { describeTriggerScenarios, FeedDriverFactory } from './scenarios';
import { coreDriver, n8nDriver, nodeRedDriver, stopNodeRed } from './hosts';
import { MDCA_NEW_ALERTS } from './feeds';

let emulator: RunningEmulator;
// The Node-RED runtime of the host drivers (hosts.ts) stops before the emulator closes.
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }, { name: 'history', throttle: false, counts: { alerts: 20_000 } }] }, (e) => (emulator = e), { beforeClose: stopNodeRed });

const drivers: [string, FeedDriverFactory][] = [
  ['core feed', coreDriver],
  ['n8n trigger', n8nDriver],
  ['Node-RED watcher', nodeRedDriver],
];

describeTriggerScenarios(MDCA_NEW_ALERTS, drivers, () => emulator);
