// The waiting status of a response action shows only a known machine action status, never the
// service's text as it came.
import { eventStatus, STATUS_TEXTS, Translate } from '../../node-red/lib/status';

const t: Translate = (key, subs = {}) => Object.entries(subs).reduce((text, [k, v]) => text.split(`__${k}__`).join(String(v)), STATUS_TEXTS[key] ?? key);
const waiting = (status: string) => eventStatus(t, { type: 'waiting', operation: 'machine.isolate', actionId: 'a1', status, elapsedMs: 15_000 }, 0)?.text;

test.each(['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'])('a known machine action status %s is shown', (status) => {
  expect(waiting(status)).toBe(`waiting: ${status} · 15 s`);
});

test.each(['<script>alert(1)</script>', 'x'.repeat(5_000), 'pending', '', 'Bearer eyJ0eXAiOiJKV1Qi', 'undefined'])('any other status text (%#) is shown as "unknown"', (status) => {
  expect(waiting(status)).toBe('waiting: unknown · 15 s');
});
