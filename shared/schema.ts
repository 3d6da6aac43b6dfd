/**
 * A small runtime schema library for the contract: each schema validates untrusted input and
 * carries its static type, so the typed API and its validators cannot drift apart.
 * Errors name the field path ("filter.kinds[2]") so a bad request or a bad capture line is
 * reported precisely.
 */

export interface Issue {
  path: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; issue: Issue };

export interface Schema<T> {
  readonly kind: string;
  /** Returns the value (possibly normalised) or an issue naming the path. */
  check(v: unknown, path: string): Result<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const bad = (path: string, message: string): { ok: false; issue: Issue } => ({
  ok: false,
  issue: { path: path || '(root)', message },
});

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function str(opts: { max?: number; min?: number; pattern?: RegExp } = {}): Schema<string> {
  const max = opts.max ?? 65536;
  return {
    kind: 'string',
    check(v, path) {
      if (typeof v !== 'string') return bad(path, `expected string, got ${describe(v)}`);
      if (v.length > max) return bad(path, `string longer than ${max} characters`);
      if (opts.min !== undefined && v.length < opts.min) return bad(path, `string shorter than ${opts.min}`);
      if (opts.pattern && !opts.pattern.test(v)) return bad(path, `does not match ${opts.pattern}`);
      return ok(v);
    },
  };
}

export function int(opts: { min?: number; max?: number } = {}): Schema<number> {
  const min = opts.min ?? Number.MIN_SAFE_INTEGER;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  return {
    kind: 'int',
    check(v, path) {
      if (typeof v !== 'number' || !Number.isInteger(v)) return bad(path, `expected integer, got ${describe(v)}`);
      if (v < min || v > max) return bad(path, `integer out of range [${min}, ${max}]`);
      return ok(v);
    },
  };
}

export function num(): Schema<number> {
  return {
    kind: 'number',
    check(v, path) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return bad(path, `expected number, got ${describe(v)}`);
      return ok(v);
    },
  };
}

export function bool(): Schema<boolean> {
  return {
    kind: 'boolean',
    check(v, path) {
      return typeof v === 'boolean' ? ok(v) : bad(path, `expected boolean, got ${describe(v)}`);
    },
  };
}

export function literal<const T extends string | number | boolean>(lit: T): Schema<T> {
  return {
    kind: 'literal',
    check(v, path) {
      return v === lit ? ok(lit) : bad(path, `expected ${JSON.stringify(lit)}`);
    },
  };
}

export function oneOf<const T extends readonly string[]>(values: T): Schema<T[number]> {
  const set = new Set<string>(values);
  return {
    kind: 'enum',
    check(v, path) {
      if (typeof v === 'string' && set.has(v)) return ok(v as T[number]);
      return bad(path, `expected one of ${values.join(', ')}`);
    },
  };
}

export function array<T>(item: Schema<T>, opts: { max?: number } = {}): Schema<T[]> {
  const max = opts.max ?? 100000;
  return {
    kind: 'array',
    check(v, path) {
      if (!Array.isArray(v)) return bad(path, `expected array, got ${describe(v)}`);
      if (v.length > max) return bad(path, `array longer than ${max}`);
      const out: T[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const r = item.check(v[i], `${path}[${i}]`);
        if (!r.ok) return r;
        out[i] = r.value;
      }
      return ok(out);
    },
  };
}

/** A string-keyed map with bounded size (e.g. annotations, per-kind counters). */
export function record<T>(value: Schema<T>, opts: { maxKeys?: number; maxKey?: number } = {}): Schema<Record<string, T>> {
  const maxKeys = opts.maxKeys ?? 1024;
  const maxKey = opts.maxKey ?? 256;
  return {
    kind: 'record',
    check(v, path) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad(path, `expected object, got ${describe(v)}`);
      const keys = Object.keys(v);
      if (keys.length > maxKeys) return bad(path, `more than ${maxKeys} keys`);
      const out: Record<string, T> = Object.create(null);
      for (const k of keys) {
        if (k.length > maxKey) return bad(path, `key longer than ${maxKey}`);
        const r = value.check((v as Record<string, unknown>)[k], `${path}.${k}`);
        if (!r.ok) return r;
        out[k] = r.value;
      }
      return ok(out);
    },
  };
}

export interface Optional<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export function optional<T>(inner: Schema<T>): Optional<T> {
  return {
    kind: inner.kind,
    optional: true,
    check(v, path) {
      if (v === undefined || v === null) return ok(undefined);
      return inner.check(v, path);
    },
  };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    kind: inner.kind,
    check(v, path) {
      if (v === null) return ok(null);
      return inner.check(v, path);
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

/**
 * An object with known fields. `extra: 'keep'` preserves unknown fields (future collector
 * versions); `extra: 'reject'` refuses them (API arguments).
 */
export function object<S extends Shape>(shape: S, opts: { extra?: 'keep' | 'reject' | 'drop' } = {}): Schema<ObjectOf<S>> & { shape: S } {
  const extra = opts.extra ?? 'reject';
  const keys = Object.keys(shape);
  return {
    kind: 'object',
    shape,
    check(v, path) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad(path, `expected object, got ${describe(v)}`);
      const src = v as Record<string, unknown>;
      const out: Record<string, unknown> = extra === 'keep' ? { ...src } : {};
      for (const k of keys) {
        const r = shape[k]!.check(src[k], path ? `${path}.${k}` : k);
        if (!r.ok) {
          if (src[k] === undefined) return bad(path ? `${path}.${k}` : k, 'missing required field');
          return r;
        }
        if (r.value !== undefined) out[k] = r.value;
        else delete out[k];
      }
      if (extra === 'reject') {
        for (const k of Object.keys(src)) {
          if (!(k in shape)) return bad(path ? `${path}.${k}` : k, 'unknown field');
        }
      }
      return ok(out as ObjectOf<S>);
    },
  };
}

export function parse<T>(schema: Schema<T>, v: unknown): Result<T> {
  return schema.check(v, '');
}
