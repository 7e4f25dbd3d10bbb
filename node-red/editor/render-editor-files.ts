// Renders the files the Node-RED editor loads: `<type>.html` (registration and edit dialog) and
// `locales/en-US/<type>.html` (help). The operation lists in the help and every operation node's
// default operation come from the registries, so adding an operation needs no editor file change.
// gulp writes the output into dist/node-red after tsc; test/node-red/editor-files.test.ts fails
// when dist holds something else.
import fs from 'node:fs';
import { escapeHtml, plainName, scriptLiteral } from './escape';
export { escapeHtml } from './escape';
import path from 'node:path';
import type { AnyOperationDefinition } from '../../core/operations/types';
import { REGISTRY, RegistrySource, sourceOperations } from '../lib/editor-registry';
import { FEEDS } from '../lib/node-types';
import { configCredentialEntries, configDialog } from './config-dialog';
import { Control, formRow, i18nOption, selectInput, textInput } from './form-rows';
import { CONFIG_NODE, EDITOR_NODES, HelpContext, OperationNodeDeclaration, WatchNodeDeclaration } from './node-declarations';

/** Where the config node's hand-written editor script lives (its dialog is written by config-dialog.ts). */
export const TEMPLATE_DIR = path.join(__dirname, 'templates');

export interface RenderOptions {
  registry?: RegistrySource;
  /** The folder of the hand-written templates; gulp names the source folder, as dist has none. */
  templateDir?: string;
}

/** A rendered file: its path below the package's node-red folder, and its text. */
export type EditorFiles = Map<string, string>;


/** The operations of one node's resource, in registry order. */
export function operationsOfNode(registry: RegistrySource, node: Pick<OperationNodeDeclaration, 'resource' | 'service'>): AnyOperationDefinition[] {
  return sourceOperations(registry, node.service).filter((o) => o.resource === node.resource);
}

function operationItem(op: AnyOperationDefinition): string {
  const fields = op.inputs.length ? op.inputs.map((i) => `<code>${escapeHtml(i.name)}</code>`).join(', ') : 'none';
  const needs = op.permissions.length ? op.permissions.map(escapeHtml).join(' or ') : 'any token';
  return `        <li><code>${escapeHtml(op.operation)}</code> – ${escapeHtml(op.displayName)}: ${escapeHtml(op.description)} <i>Fields:</i> ${fields}. <i>Needs:</i> ${needs}.</li>`;
}

function operationList(ops: readonly AnyOperationDefinition[]): string {
  return ['    <ul>', ...ops.map(operationItem), '    </ul>'].join('\n');
}

// What every node but the config node declares alike; each renderer adds its own defaults and rows.
function registrationHead(type: string, color: string): string {
  return `    RED.nodes.registerType("${plainName(type, 'node type')}", {
        category: "Defender for Cloud Apps",
        color: "${color}",
        defaults: {
            name: { value: "" },
            config: { value: "", type: "mdca-config", required: true },`;
}

const LABEL_STYLE = '        labelStyle: function () { return this.name ? "node_label_italic" : ""; },';

function dialogHead(type: string): string {
  return `<script type="text/html" data-template-name="${type}">
${formRow({ id: 'node-input-config', label: `${type}.label.config`, icon: 'plug', control: textInput() })}`;
}

function dialogTail(type: string): string {
  return `${formRow({ id: 'node-input-name', label: `${type}.label.name`, icon: 'tag', control: textInput(` data-i18n="[placeholder]${type}.label.name"`) })}
</script>
`;
}

function renderOperationNode(node: OperationNodeDeclaration, ops: readonly AnyOperationDefinition[]): string {
  const first = ops[0];
  if (!first) throw new Error(`${node.type}: the registry has no operation for resource "${node.resource}"`);
  const t = node.type;
  return `<script type="text/javascript">
${registrationHead(t, node.color)}
            operation: { value: "${plainName(first.id, 'operation id')}", required: true },
            params: { value: {} },
            outputMode: { value: "all" },
            maxItems: { value: 1000, validate: RED.validators.number(true) }
        },
        inputs: 1,
        outputs: 1,
        icon: "mdca.svg",
        paletteLabel: ${scriptLiteral(node.paletteLabel)},
        label: function () {
            return this.name || (window.MdcaEditor ? window.MdcaEditor.label(this, "${plainName(node.resource, 'resource')}") : this.operation);
        },
${LABEL_STYLE}
        oneditprepare: function () { window.MdcaEditor.prepare(this, "${plainName(node.resource, 'resource')}", "${plainName(node.service, 'service')}"); },
        oneditsave: function () { window.MdcaEditor.save(this); }
    });
</script>

${dialogHead(t)}
${formRow({ id: 'node-input-operation', label: `${t}.label.operation`, icon: 'wrench', control: selectInput([], WIDE) })}
    <div id="mdca-fields"></div>
${formRow({ id: 'node-input-outputMode', label: `${t}.label.outputMode`, icon: 'sign-out', rowClass: 'mdca-list-only', control: selectInput(['all', 'item', 'page'].map((m) => i18nOption(m, `${t}.outputMode.${m}`)), WIDE) })}
${formRow({ id: 'node-input-maxItems', label: `${t}.label.maxItems`, icon: 'filter', rowClass: 'mdca-list-only', control: textInput(' style="width:120px"') })}
${dialogTail(t)}`;
}

function renderWatchNode(node: WatchNodeDeclaration): string {
  const t = node.type;
  const events: string[] = FEEDS.filter((f) => ('service' in f ? f.service : 'mdca') === node.service).map((f) => f.value);
  if (!events.includes(node.defaultEvent)) throw new Error(`${t}: default event "${node.defaultEvent}" is not one of its feeds (${events.join(', ')})`);
  const missing = events.filter((e) => !(e in node.eventNames));
  if (missing.length) throw new Error(`${t}: no label for the events ${missing.join(', ')}`);
  const names = events.map((e) => `${plainName(e, 'event')}: ${scriptLiteral(node.eventNames[e])}`).join(', ');
  const editorArg = node.editorOptions ? `, ${node.editorOptions.name}` : '';
  const registration = `${registrationHead(t, node.color)}
            event: { value: "${plainName(node.defaultEvent, 'event')}", required: true },
            params: { value: {} },
            interval: { value: 60, required: true, validate: RED.validators.number() },
            lookBackMinutes: { value: 5, validate: RED.validators.number(true) },
            startFrom: { value: "now" },
            startHoursAgo: { value: 24, validate: RED.validators.number(true) },
            maxPerPoll: { value: ${node.maxPerPoll}, validate: RED.validators.number(true) },
            store: { value: "" }
        },
        inputs: 0,
        outputs: 1,
        icon: "mdca-watch.svg",
        paletteLabel: ${scriptLiteral(node.paletteLabel)},
        label: function () {
            var names = { ${names} };
            return this.name || "watch " + (names[this.event] || this.event);
        },
${LABEL_STYLE}
        oneditprepare: function () { window.MdcaEditor.prepareWatch(this${editorArg}); },
        oneditsave: function () { window.MdcaEditor.saveWatch(this${editorArg}); }
    });`;
  // Editor options need a scope of their own, so the registration is wrapped only when there are some.
  const script = node.editorOptions
    ? ['(function () {', `    // ${node.editorOptions.why}`, `    var ${node.editorOptions.name} = ${node.editorOptions.value};`, registration, '})();'].join('\n')
    : registration;
  return `<script type="text/javascript">
${script}
</script>

${dialogHead(t)}
${formRow({ id: 'node-input-event', label: `${t}.label.event`, icon: 'bell', control: selectInput(events.map((e) => i18nOption(e, `${t}.event.${e}`)), WIDE) })}
    <div id="mdca-fields"></div>
${watchRows(t)}
${dialogTail(t)}`;
}

const WIDE = ' style="width:70%"';
const SHORT = ' style="width:80px"';

/** The watch dialog's polling rows: interval, look-back, start, cap and the context store. */
function watchRows(t: string): string {
  const row = (property: string, label: string, control: Control, icon?: string, rowClass?: string): string =>
    formRow({ id: `node-input-${property}`, label: `${t}.label.${label}`, icon, rowClass, control });
  return [
    row('interval', 'interval', textInput(SHORT, ' s'), 'clock-o'),
    row('lookBackMinutes', 'lookBack', textInput(SHORT, ' min')),
    row('startFrom', 'startFrom', selectInput(['now', 'hoursAgo'].map((s) => i18nOption(s, `${t}.startFrom.${s}`)), WIDE)),
    row('startHoursAgo', 'startHoursAgo', textInput(SHORT, ' h'), undefined, 'mdca-hours-ago'),
    row('maxPerPoll', 'maxPerPoll', textInput(SHORT)),
    row('store', 'store', textInput(' style="width:120px" placeholder="default"'), 'database'),
  ].join('\n');
}

/** The config node's template with its credential list and dialog written in (config-dialog.ts). */
function renderConfigNode(template: string): string {
  const parts: Record<string, string> = { '@@CREDENTIALS@@': configCredentialEntries(), '@@DIALOG@@': configDialog() };
  return Object.entries(parts).reduce((text, [marker, value]) => {
    if (text.split(marker).length !== 2) throw new Error(`${CONFIG_NODE.type} template: ${marker} must stand exactly once`);
    return text.replace(marker, () => value);
  }, template);
}

function helpFile(type: string, body: string): string {
  return `<script type="text/html" data-help-name="${type}">\n${body}\n</script>\n`;
}

/**
 * Every editor file of every node, keyed by its path below node-red/ (`mdca-alert.html`,
 * `locales/en-US/mdca-alert.html`), in package.json order.
 */
export function renderEditorFiles(options: RenderOptions = {}): EditorFiles {
  const registry = options.registry ?? REGISTRY;
  const templateDir = options.templateDir ?? TEMPLATE_DIR;
  const files: EditorFiles = new Map();
  files.set(`${CONFIG_NODE.type}.html`, renderConfigNode(fs.readFileSync(path.join(templateDir, `${CONFIG_NODE.type}.html`), 'utf8')));
  files.set(`locales/en-US/${CONFIG_NODE.type}.html`, helpFile(CONFIG_NODE.type, CONFIG_NODE.help));
  for (const node of EDITOR_NODES) {
    if (node.kind === 'operation') {
      const ops = operationsOfNode(registry, node);
      const example = node.exampleOperation ?? ops[0]?.operation;
      if (!ops.some((o) => o.operation === example)) throw new Error(`${node.type}: example operation "${example}" is not in the registry`);
      const ctx: HelpContext = { resource: node.resource, example: example as string, operations: operationList(ops) };
      files.set(`${node.type}.html`, renderOperationNode(node, ops));
      files.set(`locales/en-US/${node.type}.html`, helpFile(node.type, node.help(ctx)));
    } else {
      files.set(`${node.type}.html`, renderWatchNode(node));
      files.set(`locales/en-US/${node.type}.html`, helpFile(node.type, node.help));
    }
  }
  return files;
}

/** Writes the rendered files below `outDir` (dist/node-red); returns the paths written. */
export function writeEditorFiles(outDir: string, options: RenderOptions = {}): string[] {
  const written: string[] = [];
  for (const [rel, text] of renderEditorFiles(options)) {
    const target = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    written.push(target);
  }
  return written;
}
