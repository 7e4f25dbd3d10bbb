// The trigger scenarios (scenarios.ts) for the Microsoft Graph security alert feeds (new or updated
// alerts, new alerts) through the core feed, the n8n trigger and the Node-RED watcher: 0
// duplicates, 0 misses by id. The history (about 5,500 alerts) is more than one 5,000-record read.
import type { RunningEmulator } from '../../emulator';
import { emulatorPerFile } from '../support/emulator-per-file';
import { describeTriggerScenarios, FeedDriverFactory } from './scenarios';
import { coreDriver, n8nDriver, nodeRedDriver, stopNodeRed } from './hosts';
import { graphAlertFeed } from './feeds';

let emulator: RunningEmulator;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }, { name: 'history', throttle: false, counts: { alerts: 5_500 } }] }, (e) => (emulator = e), { beforeClose: stopNodeRed });

const drivers: [string, FeedDriverFactory][] = [
  ['core feed', coreDriver],
  ['n8n trigger', n8nDriver],
  ['Node-RED watcher', nodeRedDriver],
];

describeTriggerScenarios(graphAlertFeed('graphAlertChanges'), drivers, () => emulator);
describeTriggerScenarios(graphAlertFeed('newGraphAlerts'), drivers, () => emulator);
