// What the n8n nodes of one service differ in, as data: the product name in descriptions, the
// resources and their operations (from the service's registry), the credential kinds offered, the
// credential test, the throttling notice and how a node gets its client. Every resource node,
// trigger and item loop reads this instead of keeping a copy per service (MDCA, Defender XDR,
// Microsoft Graph security).
import type { IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';
import { resourceDefinitions } from '../../core/operations';
import type { AnyOperationDefinition, OperationOutcome } from '../../core/operations';
import type { ServiceDescriptor } from '../../core/services/descriptor';
import { MDCA_SERVICE } from '../../core/services/mdca';
import { XDR_SERVICE } from '../../core/services/xdr';
import { xdrResourceDefinitions } from '../../core/xdr';
import { graphResourceDefinitions } from '../../core/graph';
import { GRAPH_SERVICE } from '../../core/services/graph';
import { mdeResourceDefinitions } from '../../core/mde';
import { MDE_SERVICE } from '../../core/services/mde';
import { entraResourceDefinitions } from '../../core/entra';
import { ENTRA_SERVICE } from '../../core/services/entra';
import type { AuthenticationKind } from './connection';

export type NodeContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** A client able to run registry operations (any ServiceClient). */
export interface OperationRunner {
	run(operationId: string, input: Record<string, unknown>, options: { signal?: AbortSignal; maxItems?: number }): Promise<OperationOutcome>;
}

export interface ServiceNodes {
	/** In node descriptions: "Microsoft Defender for Cloud Apps: <resource description>". */
	productName: string;
	/** The service whose registry the nodes are generated from and run. */
	service: ServiceDescriptor;
	resources: readonly { name: string; description: string }[];
	/** The credential kinds the nodes offer (the Authentication options, in this order). */
	authenticationKinds: readonly AuthenticationKind[];
	authenticationNote?: string;
	/** The name of the node method that tests a credential for this service. */
	credentialTest: string;
	retryNotice: string;
}

/** Labels of the Authentication options, in the alphabetical order n8n's lint asks for. */
export const AUTHENTICATION_LABELS: Record<AuthenticationKind, string> = {
	app: 'App (Client Secret or Certificate)',
	azureIdentity: 'Azure Identity (Managed or Workload Identity)',
	apiToken: 'Legacy API Token',
	oAuth2: 'User (OAuth2 Sign-In)',
	user: 'User (Password or Refresh Token)',
};

export const MDCA_NODES: ServiceNodes = {
	productName: 'Microsoft Defender for Cloud Apps',
	service: MDCA_SERVICE,
	resources: resourceDefinitions,
	authenticationKinds: ['app', 'azureIdentity', 'apiToken', 'oAuth2', 'user'],
	credentialTest: 'mdcaCredentialTest',
	retryNotice: 'Throttling (30 requests per minute per tenant), retries with back-off and token refresh are built in: leave the node setting "Retry On Fail" off.',
};

export const XDR_NODES: ServiceNodes = {
	productName: 'Microsoft Defender XDR',
	service: XDR_SERVICE,
	resources: xdrResourceDefinitions,
	// The legacy MDCA API token cannot call Defender XDR.
	authenticationKinds: ['app', 'azureIdentity', 'oAuth2', 'user'],
	authenticationNote: 'The MDCA credentials work for Defender XDR too, with the "Microsoft Threat Protection" permissions. A legacy MDCA API token cannot call Defender XDR.',
	credentialTest: 'xdrCredentialTest',
	retryNotice:
		'Throttling (Defender XDR: 50 incident calls per minute and 1,500 per hour per tenant, hunting 45 per minute), retries with back-off and token refresh are built in: leave the node setting "Retry On Fail" off.',
};

export const GRAPH_NODES: ServiceNodes = {
	productName: 'Microsoft Graph security',
	service: GRAPH_SERVICE,
	resources: graphResourceDefinitions,
	// The legacy MDCA API token cannot call Microsoft Graph.
	authenticationKinds: ['app', 'azureIdentity', 'oAuth2', 'user'],
	authenticationNote:
		'The MDCA credentials work for Microsoft Graph too, with the Microsoft Graph permissions SecurityAlert.ReadWrite.All, SecurityIncident.ReadWrite.All and ThreatHunting.Read.All (the .Read.All ones to only read). A legacy MDCA API token cannot call Microsoft Graph.',
	credentialTest: 'graphCredentialTest',
	retryNotice:
		'Throttling (Microsoft Graph security: about 150 requests per minute per app and tenant; this node keeps to 140), retries with back-off and token refresh are built in: leave the node setting "Retry On Fail" off.',
};

export const MDE_NODES: ServiceNodes = {
	productName: 'Microsoft Defender for Endpoint',
	service: MDE_SERVICE,
	resources: mdeResourceDefinitions,
	// The legacy MDCA API token cannot call Defender for Endpoint.
	authenticationKinds: ['app', 'azureIdentity', 'oAuth2', 'user'],
	authenticationNote:
		'The MDCA credentials work for Defender for Endpoint too, with the "WindowsDefenderATP" permissions (type WindowsDefenderATP under APIs my organization uses): Machine.Read.All, Machine.Isolate, Machine.Scan, Machine.CollectForensics and Machine.RestrictExecution for apps; Machine.Read and the same action names for users. A legacy MDCA API token cannot call Defender for Endpoint.',
	credentialTest: 'mdeCredentialTest',
	retryNotice:
		'Throttling (Defender for Endpoint: 100 calls per minute and 1,500 per hour per tenant; this node keeps to 90 and 1,400), retries with back-off and token refresh are built in, and a response action is never sent twice: leave the node setting "Retry On Fail" off.',
};

export const ENTRA_NODES: ServiceNodes = {
	productName: 'Microsoft Entra ID',
	service: ENTRA_SERVICE,
	resources: entraResourceDefinitions,
	// The legacy MDCA API token cannot call Microsoft Graph.
	authenticationKinds: ['app', 'azureIdentity', 'oAuth2', 'user'],
	authenticationNote:
		'The MDCA credentials work for Microsoft Entra ID too, with the Microsoft Graph permissions User.Read.All, User.RevokeSessions.All, User.EnableDisableAccount.All and IdentityRiskyUser.ReadWrite.All (Identity Protection needs Entra ID P2). A legacy MDCA API token cannot call Microsoft Graph.',
	credentialTest: 'entraCredentialTest',
	retryNotice:
		'Throttling (Identity Protection: 1 request per second per tenant; this node keeps to 50 per minute), retries with back-off and token refresh are built in, and a response action is never sent twice: leave the node setting "Retry On Fail" off.',
};

/** The operations of one resource, in registry order. */
export function operationsOf(nodes: ServiceNodes, resource: string): AnyOperationDefinition[] {
	return nodes.service.operations.filter((o) => o.resource === resource);
}

/** A registered operation of `resource` by the node's "Operation" value (or a deprecated alias). */
export function operationOf(nodes: ServiceNodes, resource: string, operation: string): AnyOperationDefinition | undefined {
	const impl = nodes.service.findOperation(`${resource}.${operation}`);
	return impl?.definition.resource === resource ? impl.definition : undefined;
}
