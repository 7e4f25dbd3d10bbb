// Lint of the n8n side with n8n's community-node rules: `npm run lint` (= `n8n-node lint`, which
// runs `eslint .` with this file). Self-hosted only, hence configWithoutCloudSupport.
// Only credentials/, nodes/ and package.json are n8n code: the shared core, the Node-RED nodes, the
// emulator, bench, scripts and tests are not n8n nodes (they are checked by tsc and jest).
// The toolchain lives in the tool cache, not in devDependencies (see scripts/tools/n8n-lint.js):
// scripts/lint.js installs it and passes its folder in MDCA_N8N_NODE_CLI_DIR.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const cliDir = process.env.MDCA_N8N_NODE_CLI_DIR;
if (!cliDir) throw new Error('Run the lint with `npm run lint` (it installs @n8n/node-cli into the tool cache).');
const { configWithoutCloudSupport } = await import(
	pathToFileURL(path.join(cliDir, 'node_modules', '@n8n', 'node-cli', 'dist', 'configs', 'eslint.js')).href
);

export default [
	{
		ignores: [
		'**/*.js',
		'**/*.mjs',
		'**/*.cjs',
		'.cache/',
		'bench/',
		'core/',
		'coverage/',
		'dist/',
		'docs/',
		'emulator/',
		'examples/',
		'icons/',
		'node-red/',
		'runtime/',
		'scripts/',
		'test/',
		'test-results/',
		],
	},
	...configWithoutCloudSupport,
	{
		files: ['package.json'],
		rules: {
			// This package targets self-hosted n8n only (not n8n Cloud verified nodes) and needs axios
			// and @azure/msal-node at run time (MSAL sign-in: client secret, certificate, ROPC, refresh
			// token; the HTTP transport with pacing and retries).
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			// The credentials are tested by the nodes' `credentialTest` method: every node lists them
			// with `testedBy: 'mdcaCredentialTest'` through credentialDescriptions()
			// (nodes/adapter/properties.ts), which the rule cannot follow.
			'@n8n/community-nodes/credential-test-required': 'off',
			// documentationUrl is set from DOCUMENTATION_URL (credentials/form-sections.ts); the rule only
			// accepts a string literal.
			'n8n-nodes-base/cred-class-field-documentation-url-missing': 'off',
		},
	},
	{
		files: [
			'nodes/MicrosoftDefenderCloudApps{Alerts,Activities,Entities,IpRanges,Discovery,Files,Trigger}/*.node.ts',
			'nodes/MicrosoftDefenderXdr{Incidents,AdvancedHunting,Trigger}/*.node.ts',
			'nodes/MicrosoftGraphSecurity{Alerts,Incidents,Hunting,Trigger}/*.node.ts',
			'nodes/MicrosoftDefenderEndpoint{Machines,MachineActions}/*.node.ts',
			'nodes/MicrosoftEntraId{Users,RiskyUsers}/*.node.ts',
		],
		rules: {
			// Every node's description is built by resourceNodeDescription() (nodes/adapter/description.ts)
			// or triggerDescription() (nodes/adapter/feed-trigger.ts), which set `icon: ICON` (light + dark
			// SVG); the rule only sees literal descriptions. test/n8n/drift.test.ts checks every node's icon.
			'@n8n/community-nodes/icon-validation': 'off',
		},
	},
];
