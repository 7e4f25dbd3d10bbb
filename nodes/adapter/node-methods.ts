// The methods n8n calls on a resource node besides execute(): the credential test of its service
// and, for MDCA, the alert list behind the alert id pickers.
import { mdcaCredentialTest } from './credential-test';
import { searchAlerts } from './list-search';
import { graphCredentialTest } from './graph';
import { xdrCredentialTest } from './xdr';
import { mdeCredentialTest } from './mde';
import { entraCredentialTest } from './entra';

export const MDCA_NODE_METHODS = {
	credentialTest: { mdcaCredentialTest },
	listSearch: { searchAlerts },
};

export const XDR_NODE_METHODS = {
	credentialTest: { xdrCredentialTest },
};

export const GRAPH_NODE_METHODS = {
	credentialTest: { graphCredentialTest },
};

export const MDE_NODE_METHODS = {
	credentialTest: { mdeCredentialTest },
};

export const ENTRA_NODE_METHODS = {
	credentialTest: { entraCredentialTest },
};
