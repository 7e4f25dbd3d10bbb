// The workflow JSON `n8n import:workflow` reads, for the tests that run a real n8n.

/** Our package's name: n8n names our node types `<package>.<node name>`. */
export const N8N_PACKAGE = '@mdca-lowcode/n8n-nodes-defender-cloud-apps';

/** One node of a workflow; `extra` holds what only some nodes have (credentials, a typeVersion other than 1, onError, webhookId). */
export function workflowNode(id: string, name: string, type: string, position: [number, number], parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name, type, typeVersion: 1, position, parameters, ...extra };
}

/** The MDCA Trigger node (our package's type) at the start of a workflow, with its credential reference. */
export function mdcaTriggerNode(id: string, name: string, parameters: Record<string, unknown>, credentials: Record<string, unknown>): Record<string, unknown> {
  return workflowNode(id, name, `${N8N_PACKAGE}.microsoftDefenderCloudAppsTrigger`, [0, 0], parameters, { credentials });
}
