/**
 * Redaction for shared captures: regular expressions over arguments, paths and environment.
 * With capture groups only the groups are masked (`--password=(\S+)` keeps the flag name),
 * otherwise the whole match is.
 */
export const MASK = '[REDACTED]';

/** Fields whose strings are redacted: argv, paths and environment. */
const STRING_FIELDS = ['filename', 'path', 'exe', 'cwd', 'source', 'target', 'bundle'] as const;
const LIST_FIELDS = ['argv', 'env', 'envp'] as const;

export class RedactionError extends Error {}

export function compileRedactions(patterns: readonly string[]): RegExp[] {
  return patterns.map((p, i) => {
    try {
      return new RegExp(p, 'gd');
    } catch (e) {
      throw new RedactionError(`redaction pattern ${i + 1} (${JSON.stringify(p.slice(0, 80))}): ${(e as Error).message}`);
    }
  });
}

export function redactString(s: string, res: readonly RegExp[]): string {
  for (const re of res) s = redactOne(s, re);
  return s;
}

function redactOne(s: string, re: RegExp): string {
  re.lastIndex = 0;
  let out = '';
  let pos = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const idx = m.indices!;
    const groups = idx.slice(1).filter((r): r is [number, number] => r !== undefined);
    const ranges = m.length > 1 ? groups : [idx[0]!];
    for (const [a, b] of ranges.sort((x, y) => x[0] - y[0])) {
      if (a < pos || b <= a) continue;
      out += s.slice(pos, a) + MASK;
      pos = b;
    }
  }
  return out + s.slice(pos);
}

/** Redacts an event in place; returns whether anything changed. */
export function redactEvent(ev: Record<string, unknown>, res: readonly RegExp[]): boolean {
  let changed = false;
  const fix = (s: string): string => {
    const r = redactString(s, res);
    if (r !== s) changed = true;
    return r;
  };
  for (const f of STRING_FIELDS) if (typeof ev[f] === 'string') ev[f] = fix(ev[f] as string);
  for (const f of LIST_FIELDS) {
    const v = ev[f];
    if (Array.isArray(v)) ev[f] = v.map((x) => (typeof x === 'string' ? fix(x) : x));
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) if (typeof o[k] === 'string') o[k] = fix(o[k] as string);
    }
  }
  return changed;
}
