/**
 * The process tree as the console holds it: nodes by store id, children in start order, and the
 * flattening into visible rows (expanded set, verbose toggle). Pure: no React, no API.
 */
import { argvLine } from '../../ui/text';

export interface ProcNode {
  /** Store id: (node, pid, start) — never the pid alone. */
  id: number;
  parent: number | null;
  pid: number;
  comm: string | null;
  exe: string | null;
  argv: string[] | null;
  cwd: string | null;
  uid: number | null;
  euid: number | null;
  /** Wall-clock µs. */
  start: number | null;
  exit: number | null;
  exitCode: number | null;
  exitSignal: number | null;
  cid: string | null;
  container: string | null;
  pod: string | null;
  namespace: string | null;
  alerts: number;
  /** Children the store knows of (loaded or not). */
  childCount: number;
}

export interface Row {
  id: number;
  depth: number;
  hasKids: boolean;
  expanded: boolean;
  /** Expanded, but its children are still being fetched. */
  pending: boolean;
}

const HAS_KIDS = 1;
const EXPANDED = 2;
const PENDING = 4;

/**
 * The visible rows as parallel typed arrays: a 100k-row tree flattens without 100k objects (and
 * the garbage collection that follows them); a Row object is made only for the rows on screen.
 */
export class RowList {
  length = 0;
  private readonly ids: Float64Array;
  private readonly depths: Uint16Array;
  private readonly flags: Uint8Array;

  constructor(capacity: number) {
    this.ids = new Float64Array(capacity);
    this.depths = new Uint16Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  push(id: number, depth: number, hasKids: boolean, expanded: boolean, pending: boolean): void {
    const i = this.length++;
    this.ids[i] = id;
    this.depths[i] = Math.min(depth, 65535);
    this.flags[i] = (hasKids ? HAS_KIDS : 0) | (expanded ? EXPANDED : 0) | (pending ? PENDING : 0);
  }

  at(i: number): Row | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const f = this.flags[i]!;
    return { id: this.ids[i]!, depth: this.depths[i]!, hasKids: (f & HAS_KIDS) !== 0, expanded: (f & EXPANDED) !== 0, pending: (f & PENDING) !== 0 };
  }

  indexOf(id: number): number {
    for (let i = 0; i < this.length; i++) if (this.ids[i] === id) return i;
    return -1;
  }

  /** Ids of the rows still waiting for their children. */
  pendingIds(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.length; i++) if (this.flags[i]! & PENDING) out.push(this.ids[i]!);
    return out;
  }
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh', 'fish', 'busybox']);
/** Commands a shell runs while it starts (profile, bashrc, prompt): noise in an investigation. */
const STARTUP = new Set([
  'locale', 'dircolors', 'lesspipe', 'lesspipe.sh', 'tput', 'uname', 'id', 'hostname', 'basename', 'dirname', 'tty', 'stty', 'mesg',
  'groups', 'command-not-found', 'whoami', 'tabs', 'clear_console', 'run-parts', 'sed', 'tr', 'cut',
]);
const STARTUP_WINDOW_US = 2_000_000;

export class TreeModel {
  readonly nodes = new Map<number, ProcNode>();
  /** Children in start order, for the nodes whose children are loaded. */
  readonly kids = new Map<number, number[]>();
  private readonly rootSet = new Set<number>();
  private rootList: number[] | null = [];

  constructor(list: readonly ProcNode[] = [], complete = true) {
    this.add(list, complete);
  }

  /**
   * Adds nodes. With `complete`, every node's children are among `list` or already known (a whole
   * subtree), so nodes without children here are leaves.
   */
  add(list: readonly ProcNode[], complete = false): void {
    for (const n of list) this.nodes.set(n.id, n);
    const touched = new Set<number>();
    for (const n of list) {
      if (n.parent !== null && this.nodes.has(n.parent)) {
        let k = this.kids.get(n.parent);
        if (!k) this.kids.set(n.parent, (k = []));
        if (!k.includes(n.id)) k.push(n.id);
        touched.add(n.parent);
      }
    }
    if (complete) for (const n of list) if (!this.kids.has(n.id) && n.childCount === 0) this.kids.set(n.id, []);
    // Roots change only around the added nodes: no scan of the whole tree per batch.
    for (const n of list) {
      if (n.parent === null || !this.nodes.has(n.parent)) this.rootSet.add(n.id);
      else this.rootSet.delete(n.id);
    }
    for (const p of touched) {
      const k = this.kids.get(p)!;
      for (const c of k) this.rootSet.delete(c);
      k.sort(this.byStart);
    }
    this.rootList = null;
  }

  get roots(): number[] {
    this.rootList ??= [...this.rootSet].sort(this.byStart);
    return this.rootList;
  }

  /** Records the children of `id` as fetched (possibly none). */
  setKids(id: number, list: readonly ProcNode[]): void {
    if (!this.kids.has(id)) this.kids.set(id, []);
    this.add(list);
  }

  private byStart = (a: number, b: number) => (this.nodes.get(a)!.start ?? 0) - (this.nodes.get(b)!.start ?? 0) || a - b;

  hasKids(id: number): boolean {
    const k = this.kids.get(id);
    return k ? k.length > 0 : this.nodes.get(id)!.childCount > 0;
  }

  kidsLoaded(id: number): boolean {
    return this.kids.has(id);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** Shell start-up noise: a known start-up command, child of a shell, early in its life, leaf. */
  isNoise(id: number): boolean {
    const n = this.nodes.get(id)!;
    if (n.comm === null || !STARTUP.has(n.comm) || this.hasKids(id) || n.alerts > 0) return false;
    const p = n.parent === null ? undefined : this.nodes.get(n.parent);
    if (!p || !p.comm || !SHELLS.has(p.comm)) return false;
    return p.start === null || n.start === null || n.start - p.start <= STARTUP_WINDOW_US;
  }

  /** The user changed from the parent's (or the effective user differs): privilege change. */
  userChange(id: number): { from: number; to: number } | null {
    const n = this.nodes.get(id)!;
    const eff = n.euid ?? n.uid;
    if (eff === null) return null;
    if (n.uid !== null && n.euid !== null && n.euid !== n.uid) return { from: n.uid, to: n.euid };
    const p = n.parent === null ? undefined : this.nodes.get(n.parent);
    const peff = p ? (p.euid ?? p.uid) : null;
    return peff !== null && peff !== undefined && peff !== eff ? { from: peff, to: eff } : null;
  }

  ancestors(id: number): ProcNode[] {
    const out: ProcNode[] = [];
    const seen = new Set<number>();
    for (let n = this.nodes.get(id); n && !seen.has(n.id); n = n.parent === null ? undefined : this.nodes.get(n.parent)) {
      seen.add(n.id);
      out.unshift(n);
    }
    return out;
  }

  /** Visible rows in tree order. Iterative: a 100k-deep chain must not blow the stack. */
  flatten(expanded: ReadonlySet<number>, verbose: boolean, only?: (n: ProcNode) => boolean): { rows: RowList; hidden: number } {
    const rows = new RowList(this.nodes.size);
    let hidden = 0;
    // Two parallel stacks (ids, depths): no object per pending node.
    const ids: number[] = [];
    const depths: number[] = [];
    // With a filter (one container alone): the topmost matching nodes are the roots, and only
    // matching descendants are shown.
    const roots = only
      ? [...this.nodes.values()]
          .filter((n) => only(n) && !(n.parent !== null && this.nodes.has(n.parent) && only(this.nodes.get(n.parent)!)))
          .sort((a, b) => this.byStart(a.id, b.id))
          .map((n) => n.id)
      : this.roots;
    for (let i = roots.length - 1; i >= 0; i--) {
      ids.push(roots[i]!);
      depths.push(0);
    }
    while (ids.length) {
      const id = ids.pop()!;
      const depth = depths.pop()!;
      if (!verbose && this.isNoise(id)) {
        hidden++;
        continue;
      }
      const kids = this.kids.get(id);
      const has = kids ? kids.length > 0 : this.nodes.get(id)!.childCount > 0;
      const open = has && expanded.has(id);
      rows.push(id, depth, has, open, open && !kids);
      if (kids && open)
        for (let i = kids.length - 1; i >= 0; i--) {
          const k = kids[i]!;
          if (!only || only(this.nodes.get(k)!)) {
            ids.push(k);
            depths.push(depth + 1);
          }
        }
    }
    return { rows, hidden };
  }

  /** Ids whose comm, executable, argv or cwd contain `q` (case-insensitive), in tree order. */
  search(q: string, verbose: boolean): number[] {
    const needle = q.trim().toLowerCase();
    if (!needle) return [];
    const out: number[] = [];
    const stack = [...this.roots].reverse();
    while (stack.length) {
      const id = stack.pop()!;
      const n = this.nodes.get(id)!;
      if ((verbose || !this.isNoise(id)) && haystack(n).includes(needle)) out.push(id);
      const kids = this.kids.get(id);
      if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
    return out;
  }

  /** Every ancestor of `id` (what must be expanded for it to be visible). */
  pathTo(id: number): number[] {
    return this.ancestors(id)
      .slice(0, -1)
      .map((n) => n.id);
  }

  allWithKids(): number[] {
    return [...this.nodes.keys()].filter((id) => this.hasKids(id));
  }
}

export function haystack(n: ProcNode): string {
  return `${n.comm ?? ''}\u0000${n.exe ?? ''}\u0000${argvLine(n.argv)}\u0000${n.cwd ?? ''}`.toLowerCase();
}

export function userName(uid: number | null): string {
  if (uid === null) return '?';
  return uid === 0 ? 'root' : String(uid);
}
