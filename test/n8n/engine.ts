// Runs our n8n nodes through n8n-core's own execution engine (WorkflowExecute over a real
// Workflow), so parameter resolution, the execute context, its HTTP helpers and the
// credential plumbing are n8n's, not a re-implementation.
import { CredentialTestContext, ExecutionLifecycleHooks, LoadOptionsContext, PollContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { deepCopy, ICredentialsHelper, Workflow } from 'n8n-workflow';

export interface EngineOptions {
	workflowId?: string;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** The node setting Retry On Fail (n8n's engine then runs the node again after an error, at once here). */
	retryOnFail?: boolean;
	mode?: 'manual' | 'trigger' | 'internal';
	staticData?: IDataObject;
	/** Cancels the execution (as the editor's Stop does) once the signal is aborted. */
	signal?: AbortSignal;
}

// Feeds the test's input items to the node under test, as an upstream node would.
const INPUT_TYPE = 'test.input';
function inputNodeType(items: INodeExecutionData[]): INodeType {
	return {
		description: { displayName: 'Input', name: INPUT_TYPE, group: ['input'], version: 1, description: '', defaults: { name: 'Input' }, inputs: [], outputs: ['main' as never], properties: [] },
		async execute() {
			return [deepCopy(items)];
		},
	};
}

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	// What n8n's credential loader derives from a type's `extends`: OAuth2 types go through
	// n8n-core's requestOAuth2 (bearer from oauthTokenData, refresh on 401).
	getParentTypes(name: string): string[] {
		return name === 'microsoftDefenderCloudAppsOAuth2Api' ? ['oAuth2Api'] : [];
	}
	isCredentialUsableByNode(): boolean {
		return true;
	}
	async authenticate(_credentials: ICredentialDataDecryptedObject, _typeName: string, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return requestOptions;
	}
	async preAuthentication(): Promise<undefined> {
		return undefined;
	}
	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}
	async getDecrypted(_additionalData: IWorkflowExecuteAdditionalData, _nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentialDataDecryptedObject> {
		const data = this.store[type];
		if (!data) throw new Error(`Node does not have credentials of type ${type}`);
		return deepCopy(data);
	}
	async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.store[type] = deepCopy(data);
	}
	async updateCredentialsOauthTokenData(nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		await this.updateCredentials(nodeCredentials, type, data);
	}
	getCredentialsProperties(): [] {
		return [];
	}
}

export interface EngineResult {
	items: INodeExecutionData[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
}

/** The instance addresses n8n puts in every execution's additional data (none is called here). */
const INSTANCE_URLS = {
	restApiUrl: 'http://localhost/rest',
	instanceBaseUrl: 'http://localhost/',
	webhookBaseUrl: 'http://localhost/webhook',
	webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
	webhookTestBaseUrl: 'http://localhost/webhook-test',
	formWaitingBaseUrl: 'http://localhost/form-waiting',
	variables: {},
};

/** Runs the node in a two-node workflow (input items -> node) through WorkflowExecute.run(). */
export async function executeNode(nodeType: INodeType, o: EngineOptions): Promise<EngineResult> {
	const items = o.items ?? [{ json: {} }];
	const typeName = `CUSTOM.${nodeType.description.name}`;
	// The engine stores a node's error as a plain copy; keep the instance the node threw so tests
	// see the class n8n's error handling (and the editor) receives.
	let thrown: unknown;
	const underTest: INodeType = Object.create(nodeType);
	underTest.execute = async function (this: never) {
		try {
			return await nodeType.execute!.call(this);
		} catch (error) {
			thrown = error;
			throw error;
		}
	} as never;
	const { name, node, nodeTypes } = nodeUnderTest(underTest, o, { [INPUT_TYPE]: inputNodeType(items) });
	node.position = [200, 0];
	node.continueOnFail = o.continueOnFail;
	if (o.retryOnFail) Object.assign(node, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });
	const input: INode = { id: 'a0000000-0000-4000-8000-000000000000', name: 'Input', type: INPUT_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
	const workflowId = o.workflowId ?? 'harnessWorkflow1';
	const workflow = new Workflow({
		id: workflowId,
		name: 'harness',
		nodes: [input, node],
		connections: { Input: { main: [[{ node: name, type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes,
		staticData: o.staticData,
	});
	const credentials = deepCopy(o.credentials);
	const mode = o.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, 'exec-1', { id: workflowId, name: 'harness', active: false, nodes: workflow.nodes as never, connections: workflow.connectionsBySourceNode, settings: {}, createdAt: new Date(), updatedAt: new Date(), isArchived: false, activeVersionId: null } as never);
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks,
		executionId: 'exec-1',
		...INSTANCE_URLS,
		currentNodeParameters: undefined,
		executeWorkflow: async () => { throw new Error('not used'); },
		logAiEvent: () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	const running = new WorkflowExecute(additionalData, mode).run({ workflow, startNode: input, destinationNode: { nodeName: name, mode: 'inclusive' } as never });
	// An already aborted signal stops the run when the node under test starts, so that the node
	// (not the engine's scheduler) is what meets the cancellation.
	hooks.addHandler('nodeExecuteBefore', (nodeName) => {
		if (nodeName === name && o.signal?.aborted) running.cancel();
	});
	o.signal?.addEventListener('abort', () => running.cancel(), { once: true });
	const run = await running;
	const taskData = run.data.resultData.runData[name]?.[0];
	if (thrown !== undefined && (taskData?.error || run.data.resultData.error)) throw thrown;
	if (run.data.resultData.error && !taskData?.data) throw run.data.resultData.error;
	if (taskData?.error) throw taskData.error;
	return { items: taskData?.data?.main?.[0] ?? [], credentials };
}

/** The node under test as a workflow node, and the node types the workflow knows (it plus `others`). */
function nodeUnderTest(nodeType: INodeType, o: EngineOptions, others: Record<string, INodeType> = {}): { name: string; node: INode; nodeTypes: INodeTypes } {
	const typeName = `CUSTOM.${nodeType.description.name}`;
	const types: Record<string, INodeType> = { [typeName]: nodeType, ...others };
	const nodeTypes: INodeTypes = {
		getByName: (name: string) => types[name] as INodeType | IVersionedNodeType,
		getByNameAndVersion: (name: string) => types[name],
		getKnownTypes: () => ({}),
	};
	const name = nodeType.description.defaults.name ?? nodeType.description.displayName;
	const node: INode = {
		id: 'a0000000-0000-4000-8000-000000000001',
		name,
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters: o.parameters,
		credentials: Object.fromEntries(Object.keys(o.credentials).map((type) => [type, { id: `cred-${type}`, name: type }])),
	};
	return { name, node, nodeTypes };
}

/**
 * Runs `poll()` in n8n-core's PollContext on a real Workflow. `o.staticData` is the node's static
 * data (pass the same object to continue), handed to n8n as the node's resolved static data.
 */
export async function pollNode(nodeType: INodeType, o: EngineOptions): Promise<INodeExecutionData[] | null> {
	const { name, node, nodeTypes } = nodeUnderTest(nodeType, o);
	const workflowId = o.workflowId ?? 'harnessWorkflow1';
	const workflow = new Workflow({ id: workflowId, name: 'harness', nodes: [node], connections: {}, active: true, nodeTypes, staticData: {} });
	const staticData = o.staticData ?? {};
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(deepCopy(o.credentials)),
		executionId: 'poll-1',
		...INSTANCE_URLS,
	} as unknown as IWorkflowExecuteAdditionalData;
	const mode = o.mode ?? 'trigger';
	const ctx = new PollContext(workflow, workflow.getNode(name)!, additionalData, mode, 'activate', undefined, undefined, undefined, undefined, () => staticData);
	const out = await nodeType.poll!.call(ctx);
	return out ? out[0] : null;
}

/** Runs the node's credential test function in n8n-core's CredentialTestContext (the "Test" button). */
export async function testCredential(nodeType: INodeType, type: string, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const testedBy = nodeType.description.credentials?.find((c) => c.name === type)?.testedBy;
	if (typeof testedBy !== 'string') throw new Error(`credential ${type} has no test function`);
	const fn = nodeType.methods?.credentialTest?.[testedBy];
	if (!fn) throw new Error(`no credentialTest.${testedBy}`);
	const credential: ICredentialsDecrypted = { id: 'cred1', name: 'MDCA', type, data: deepCopy(data) };
	return fn.call(new CredentialTestContext(), credential);
}

/** Runs a listSearch method in n8n-core's LoadOptionsContext, as the editor's resource locator does. */
export async function listSearch(nodeType: INodeType, method: string, o: EngineOptions, filter?: string): Promise<INodeListSearchResult> {
	const { name, node, nodeTypes } = nodeUnderTest(nodeType, o);
	const workflow = new Workflow({ id: o.workflowId ?? 'harnessWorkflow1', name: 'harness', nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(deepCopy(o.credentials)),
		currentNodeParameters: workflow.getNode(name)!.parameters,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const fn = nodeType.methods?.listSearch?.[method];
	if (!fn) throw new Error(`no listSearch.${method}`);
	return fn.call(new LoadOptionsContext(workflow, workflow.getNode(name)!, additionalData, 'parameters'), filter);
}
