// Text from the registries and the node declarations goes into HTML and into inline scripts of
// the editor files: each context gets its own escaping, so no entry can break out of it.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

/**
 * Names written into the editor's inline scripts and attributes unescaped (node types, resources,
 * operation ids, events) must be plain identifiers: a registry entry cannot break out of them.
 */
export function plainName(value: string, what: string): string {
  if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(value)) throw new Error(`${what} "${value}" is not a plain name (letters, digits, ".", "_", "-")`);
  return value;
}

/** A value as a JavaScript literal that is also safe inside an HTML <script> element. */
export function scriptLiteral(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

