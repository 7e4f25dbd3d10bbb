// n8n starts a trigger's poll on its schedule even while the previous poll of the same node is
// still running. Ours can run long: a poll waits for the tenant's budget, and when the budget is
// busy (bulk work, other processes sharing it through Redis) that wait can pass the next
// scheduled time. Two polls that start from the same stored cursor return the same records, so
// each would start a workflow run for them. Measured in n8n queue mode with a saturated budget
// (test/e2e-scale): every new alert was delivered 3 times. One poll per workflow node per process:
// a poll that finds the previous one still running returns "nothing new", and the running one
// delivers. (Only n8n's leader process runs pollers, so one process is enough.)
import type { IPollFunctions } from 'n8n-workflow';

const running = new Set<string>();

export async function pollOnce<T>(ctx: IPollFunctions, poll: () => Promise<T | null>): Promise<T | null> {
	if (ctx.getMode() === 'manual') return poll();
	const key = `${ctx.getWorkflow().id ?? ''}\u0000${ctx.getNode().id}`;
	if (running.has(key)) {
		ctx.logger?.info?.(`MDCA: poll of "${ctx.getNode().name}" skipped: the previous poll is still waiting for the tenant's request budget`);
		return null;
	}
	running.add(key);
	try {
		return await poll();
	} finally {
		running.delete(key);
	}
}
