// The trigger scenarios (scenarios.ts) for the Microsoft Graph security incident feeds (new or updated
// incidents, new incidents) through the core feed, the n8n trigger and the Node-RED watcher: 0
// duplicates, 0 misses by id. The history (6,000 incidents) is more than one 5,000-record read.
import type { RunningEmulator } from '../../emulator';
import { emulatorPerFile } from '../support/emulator-per-file';
import { describeTriggerScenarios, FeedDriverFactory } from './scenarios';
import { coreDriver, n8nDriver, nodeRedDriver, stopNodeRed } from './hosts';
import { graphIncidentFeed } from './feeds';

let emulator: RunningEmulator;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }, { name: 'history', throttle: false }] }, (e) => (emulator = e), { beforeClose: stopNodeRed });

const drivers: [string, FeedDriverFactory][] = [
  ['core feed', coreDriver],
  ['n8n trigger', n8nDriver],
  ['Node-RED watcher', nodeRedDriver],
];

describeTriggerScenarios(graphIncidentFeed('graphIncidentChanges'), drivers, () => emulator);
describeTriggerScenarios(graphIncidentFeed('newGraphIncidents'), drivers, () => emulator);
