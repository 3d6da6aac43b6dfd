/**
 * YAML in and out. Output carries the evidence as comments next to the rules it explains, so a
 * reviewer reads why each line is there; input is bounded and parsed without aliases blowing up.
 */
import { Document, isNode, parseAllDocuments, parseDocument } from 'yaml';
import type { Evidence } from '../../../../shared/policy';

export interface YamlComment {
  path: Array<string | number>;
  text: string;
}

export function toYaml(value: unknown, comments: YamlComment[] = [], header?: string): string {
  const doc = new Document(value);
  for (const c of comments) {
    const node = doc.getIn(c.path, true);
    if (isNode(node)) node.comment = ' ' + c.text;
  }
  if (header) doc.commentBefore = header.split('\n').map((l) => ' ' + l).join('\n');
  return doc.toString({ lineWidth: 0 });
}

export function describeEvidence(ev: Evidence[], max = 2): string {
  const real = ev.filter((e) => e.kind !== 'runtime-base' && e.kind !== 'loaded');
  if (real.length === 0) return ev[0]?.detail ?? 'no events';
  const shown = real.slice(0, max).map((e) => {
    const who = e.pid !== undefined ? `${e.comm ?? '?'}[${e.pid}]` : e.kind;
    const seq = e.seq !== undefined ? ` #${e.seq}` : '';
    return `${who} t=${e.ts}${seq}${e.detail ? ` ${e.detail}` : ''}`;
  });
  return shown.join('; ') + (real.length > max ? `; +${real.length - max} more` : '');
}

export class PolicyParseError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

/** Parses JSON or YAML text of bounded size; aliases are limited (billion-laughs files fail). */
export function parseText(text: string, maxBytes: number): unknown {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new PolicyParseError('(file)', `larger than ${maxBytes} bytes`);
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new PolicyParseError('(file)', `invalid JSON: ${(e as Error).message.slice(0, 200)}`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new PolicyParseError('(file)', `invalid YAML${pos ? ` at line ${pos.line} column ${pos.col}` : ''}: ${e.message.split('\n')[0]}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new PolicyParseError('(file)', (e as Error).message);
  }
}

/** Every document of a file: JSON is one; YAML may hold several separated by `---`. */
export function parseTexts(text: string, maxBytes: number): unknown[] {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new PolicyParseError('(file)', `larger than ${maxBytes} bytes`);
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) return [parseText(text, maxBytes)];
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length > 1000) throw new PolicyParseError('(file)', 'more than 1000 documents');
  return list.map((doc, i) => {
    const where = list.length > 1 ? `document ${i + 1}` : '(file)';
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const pos = e.linePos?.[0];
      throw new PolicyParseError(where, `invalid YAML${pos ? ` at line ${pos.line} column ${pos.col}` : ''}: ${e.message.split('\n')[0]}`);
    }
    try {
      return doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new PolicyParseError(where, (e as Error).message);
    }
  });
}
