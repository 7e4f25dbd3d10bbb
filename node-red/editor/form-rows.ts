// The rows of the Node-RED edit dialogs: `<div class="form-row">` with a label and a control, as
// the editor's stylesheet lays them out. render-editor-files.ts builds the operation and watch
// dialogs from them, config-dialog.ts the connection dialog.

/** Writes the control of a row, given the id its label points at. */
export type Control = (id: string) => string;

export interface FormRow {
  /** The control's id: `node-input-<property>` or `node-config-input-<property>`. */
  id: string;
  /** The i18n key of the label text. */
  label: string;
  /** Font Awesome icon shown before the label text. */
  icon?: string;
  /** Classes the dialog script shows and hides the row by. */
  rowClass?: string;
  /** Hidden until the dialog script shows it. */
  hidden?: boolean;
  control: Control;
}

export function formRow(row: FormRow): string {
  const icon = row.icon ? `<i class="fa fa-${row.icon}"></i> ` : '';
  return [
    `    <div class="form-row${row.rowClass ? ` ${row.rowClass}` : ''}"${row.hidden ? ' style="display:none"' : ''}>`,
    `        <label for="${row.id}">${icon}<span data-i18n="${row.label}"></span></label>`,
    `        ${row.control(row.id)}`,
    '    </div>',
  ].join('\n');
}

/** A text field; `attributes` (style, placeholder, ...) go in as written, `after` follows it (a unit). */
export const textInput = (attributes = '', after = ''): Control => (id) => `<input type="text" id="${id}"${attributes}>${after}`;

/** A masked field: Node-RED keeps its value with the node's credentials. */
export const passwordInput = (attributes = ''): Control => (id) => `<input type="password" id="${id}"${attributes}>`;

/** A drop-down of `options` (each an `<option>` element); empty, the dialog script fills it. */
export const selectInput = (options: readonly string[], attributes = ''): Control => (id) =>
  options.length === 0
    ? `<select id="${id}"${attributes}></select>`
    : [`<select id="${id}"${attributes}>`, ...options.map((o) => `            ${o}`), '        </select>'].join('\n');

/** An option whose text the editor takes from the node's i18n catalogue. */
export const i18nOption = (value: string, key: string): string => `<option value="${value}" data-i18n="${key}"></option>`;
