// A small KQL subset over seeded hunting tables (for the advanced hunting API):
//   Table | where <cond> | take N | limit N | project a, b | order by / sort by Col [asc|desc]
//         | top N by Col [asc|desc] | count | summarize count() by Col
// <cond>: Col (== != =~ contains !contains has startswith > < >= <=) value, joined by and/or,
// with parentheses; values: "text", 'text', numbers, true/false, ago(7d|12h|30m|10s),
// datetime(2026-01-31T00:00:00Z). Anything else fails like the service: 400 with a message.

export interface Column {
  Name: string;
  Type: 'DateTime' | 'String' | 'Int64' | 'Boolean' | 'Dynamic';
}
export interface Table {
  schema: Column[];
  rows: Record<string, unknown>[];
}

export class KqlError extends Error {}

type Tok = { t: 'id' | 'num' | 'str' | 'op' | 'pipe' | 'comma' | 'lp' | 'rp' | 'ago' | 'dt'; v: string; at: number };

function lex(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && q[i + 1] === '/') { while (i < q.length && q[i] !== '\n') i++; continue; }
    if (c === '|') { out.push({ t: 'pipe', v: c, at: i++ }); continue; }
    if (c === ',') { out.push({ t: 'comma', v: c, at: i++ }); continue; }
    if (c === '(') { out.push({ t: 'lp', v: c, at: i++ }); continue; }
    if (c === ')') { out.push({ t: 'rp', v: c, at: i++ }); continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < q.length && q[j] !== c) { if (q[j] === '\\') j++; s += q[j++]; }
      if (j >= q.length) throw new KqlError(`Query could not be parsed: unterminated string literal at position ${i + 1}`);
      out.push({ t: 'str', v: s, at: i });
      i = j + 1;
      continue;
    }
    const ago = /^ago\(\s*(\d+(?:\.\d+)?)(d|h|ms|m|s)\s*\)/.exec(q.slice(i));
    if (ago) { out.push({ t: 'ago', v: `${ago[1]} ${ago[2]}`, at: i }); i += ago[0].length; continue; }
    const dt = /^datetime\(\s*([^)]*?)\s*\)/.exec(q.slice(i));
    if (dt) { out.push({ t: 'dt', v: dt[1], at: i }); i += dt[0].length; continue; }
    const op = /^(==|!=|=~|>=|<=|>|<|=|!contains)/.exec(q.slice(i));
    if (op) { out.push({ t: 'op', v: op[0], at: i }); i += op[0].length; continue; }
    const num = /^\d+(\.\d+)?(?![A-Za-z_])/.exec(q.slice(i));
    if (num) { out.push({ t: 'num', v: num[0], at: i }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(q.slice(i));
    if (id) { out.push({ t: 'id', v: id[0], at: i }); i += id[0].length; continue; }
    throw new KqlError(`Query could not be parsed at '${c}' on line [1,${i + 1}]`);
  }
  return out;
}

type Pred = (row: Record<string, unknown>) => boolean;

export function runKql(query: string, tables: Record<string, Table>, now: number): Table {
  const toks = lex(query);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const next = (): Tok => {
    const t = toks[p++];
    if (!t) throw new KqlError('Query could not be parsed: unexpected end of query');
    return t;
  };
  const expectId = (word?: string): string => {
    const t = next();
    if (t.t !== 'id' || (word && t.v !== word)) throw new KqlError(`Query could not be parsed at '${t.v}' on line [1,${t.at + 1}]`);
    return t.v;
  };
  const first = next();
  if (first.t !== 'id') throw new KqlError(`Query could not be parsed at '${first.v}' on line [1,${first.at + 1}]`);
  const table = tables[first.v];
  if (!table) throw new KqlError(`Failed to resolve table or column expression named '${first.v}'`);
  let schema = [...table.schema];
  let rows = table.rows.slice();
  const column = (name: string): Column => {
    const c = schema.find((x) => x.Name === name);
    if (!c) throw new KqlError(`Failed to resolve scalar expression named '${name}'`);
    return c;
  };
  const value = (): unknown => {
    const t = next();
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'id' && (t.v === 'true' || t.v === 'false')) return t.v === 'true';
    if (t.t === 'ago') {
      const [n, unit] = t.v.split(' ');
      return now - Number(n) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[unit as 'd'];
    }
    if (t.t === 'dt') {
      const ms = Date.parse(t.v.replace(/^["']|["']$/g, ''));
      if (!Number.isFinite(ms)) throw new KqlError(`Query could not be parsed: invalid datetime literal '${t.v}'`);
      return ms;
    }
    throw new KqlError(`Query could not be parsed at '${t.v}' on line [1,${t.at + 1}]`);
  };
  const comparison = (): Pred => {
    const t = peek();
    if (t?.t === 'lp') {
      p++;
      const inner = condition();
      if (next().t !== 'rp') throw new KqlError("Query could not be parsed: missing ')'");
      return inner;
    }
    const col = column(expectId());
    const opTok = next();
    const op = opTok.t === 'op' || opTok.t === 'id' ? opTok.v : '';
    if (!['==', '!=', '=~', '>', '<', '>=', '<=', 'contains', '!contains', 'has', 'startswith'].includes(op)) {
      throw new KqlError(`Query could not be parsed at '${opTok.v}' on line [1,${opTok.at + 1}]`);
    }
    const v = value();
    const read = (row: Record<string, unknown>): unknown => (col.Type === 'DateTime' ? Date.parse(String(row[col.Name])) : row[col.Name]);
    const text = (x: unknown): string => String(x ?? '').toLowerCase();
    switch (op) {
      case '==': return (r) => read(r) === v;
      case '!=': return (r) => read(r) !== v;
      case '=~': return (r) => text(read(r)) === text(v);
      case '>': return (r) => (read(r) as number) > (v as number);
      case '<': return (r) => (read(r) as number) < (v as number);
      case '>=': return (r) => (read(r) as number) >= (v as number);
      case '<=': return (r) => (read(r) as number) <= (v as number);
      case 'contains': return (r) => text(read(r)).includes(text(v));
      case '!contains': return (r) => !text(read(r)).includes(text(v));
      case 'has': return (r) => text(read(r)).split(/[^a-z0-9]+/).includes(text(v));
      default: return (r) => text(read(r)).startsWith(text(v));
    }
  };
  const conjunction = (): Pred => {
    let left = comparison();
    while (peek()?.t === 'id' && peek()?.v === 'and') {
      p++;
      const l = left;
      const r = comparison();
      left = (row) => l(row) && r(row);
    }
    return left;
  };
  function condition(): Pred {
    let left = conjunction();
    while (peek()?.t === 'id' && peek()?.v === 'or') {
      p++;
      const l = left;
      const r = conjunction();
      left = (row) => l(row) || r(row);
    }
    return left;
  }
  const count = (): number => {
    const t = next();
    if (t.t !== 'num' || !Number.isInteger(Number(t.v))) throw new KqlError(`Query could not be parsed at '${t.v}' on line [1,${t.at + 1}]`);
    return Number(t.v);
  };
  const sortBy = (): void => {
    const col = column(expectId());
    let dir = 'desc';
    if (peek()?.t === 'id' && (peek()?.v === 'asc' || peek()?.v === 'desc')) dir = next().v;
    const key = (r: Record<string, unknown>): number | string => (col.Type === 'DateTime' ? Date.parse(String(r[col.Name])) : (r[col.Name] as number | string));
    rows.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return dir === 'asc' ? c : -c;
    });
  };
  while (p < toks.length) {
    const bar = next();
    if (bar.t !== 'pipe') throw new KqlError(`Query could not be parsed at '${bar.v}' on line [1,${bar.at + 1}]`);
    const op = expectId();
    switch (op) {
      case 'where': {
        const pred = condition();
        rows = rows.filter(pred);
        break;
      }
      case 'take':
      case 'limit':
        rows = rows.slice(0, count());
        break;
      case 'project': {
        const cols: Column[] = [column(expectId())];
        while (peek()?.t === 'comma') { p++; cols.push(column(expectId())); }
        schema = cols;
        rows = rows.map((r) => Object.fromEntries(cols.map((c) => [c.Name, r[c.Name]])));
        break;
      }
      case 'order':
      case 'sort':
        expectId('by');
        sortBy();
        break;
      case 'top': {
        const n = count();
        expectId('by');
        sortBy();
        rows = rows.slice(0, n);
        break;
      }
      case 'count':
        schema = [{ Name: 'Count', Type: 'Int64' }];
        rows = [{ Count: rows.length }];
        break;
      case 'summarize': {
        expectId('count');
        if (next().t !== 'lp' || next().t !== 'rp') throw new KqlError('Query could not be parsed: only summarize count() by Column is supported here');
        expectId('by');
        const col = column(expectId());
        const groups = new Map<unknown, number>();
        for (const r of rows) groups.set(r[col.Name], (groups.get(r[col.Name]) ?? 0) + 1);
        schema = [col, { Name: 'count_', Type: 'Int64' }];
        rows = [...groups.entries()].map(([k, n]) => ({ [col.Name]: k, count_: n }));
        break;
      }
      default:
        throw new KqlError(`Query could not be parsed at '${op}' on line [1,${bar.at + 3}]: the emulator supports where, take, limit, project, order by, sort by, top, count, summarize count() by`);
    }
  }
  return { schema, rows };
}
