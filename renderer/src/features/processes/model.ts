/**
 * The process tree as the console holds it: nodes by store id, children in start order, which
 * nodes are expanded, and the flattening into visible rows (verbose toggle, one container alone).
 * Pure: no React, no API.
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

/** What is known of a node's children: nothing yet, some of them, all of them. */
const KIDS_UNKNOWN = 0;
const KIDS_SOME = 1;
const KIDS_ALL = 2;
/** Slot flags. */
const S_EXPANDED = 1;
/** A start-up command without alerts: noise if its parent and timing say so (checked in full then). */
const S_STARTUP = 2;

/**
 * The process tree as dense slots: every node gets a small integer on arrival, and parents,
 * children (a linked list in start order), child counts and flags live in typed arrays indexed by
 * it. Flattening 100k nodes then reads integers only (a few milliseconds), so the visible rows can
 * be rebuilt many times while Expand all brings thousands of nodes a second, never in a long frame.
 */
export class TreeModel {
  readonly nodes = new Map<number, ProcNode>();
  private readonly slotOf = new Map<number, number>();
  private n = 0;
  private cap = 0;
  private ids = new Float64Array(0);
  private starts = new Float64Array(0);
  private parent = new Int32Array(0);
  private first = new Int32Array(0);
  private last = new Int32Array(0);
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  private kidN = new Int32Array(0);
  private childCount = new Int32Array(0);
  private kidState = new Uint8Array(0);
  private flags = new Uint8Array(0);
  private cids: Array<string | null> = [];
  private hay: Array<string | undefined> = [];
  /** Nodes that arrived before their parent, by parent id: linked when it arrives. */
  private readonly waiting = new Map<number, number[]>();
  private readonly rootSet = new Set<number>();
  private rootList: number[] | null = [];

  constructor(list: readonly ProcNode[] = [], complete = true) {
    this.grow(Math.max(64, list.length));
    this.add(list, complete);
  }

  private grow(min: number): void {
    if (min <= this.cap) return;
    const cap = Math.max(min, this.cap * 2);
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    this.ids = f64(this.ids);
    this.starts = f64(this.starts);
    this.parent = i32(this.parent);
    this.first = i32(this.first);
    this.last = i32(this.last);
    this.next = i32(this.next);
    this.prev = i32(this.prev);
    this.kidN = i32(this.kidN);
    this.childCount = i32(this.childCount);
    this.kidState = u8(this.kidState);
    this.flags = u8(this.flags);
    this.cap = cap;
  }

  /**
   * Adds nodes (new ones, or newer rows of known ones). With `complete`, the list comes from a walk
   * of whole subtrees, so a node the store counts no children for is a leaf. A node whose children
   * have all arrived counts as loaded. Costs O(list): nothing here scans the whole tree, so a big
   * tree can be fed in small chunks.
   */
  add(list: readonly ProcNode[], complete = false): void {
    this.grow(this.n + list.length);
    for (const node of list) {
      let s = this.slotOf.get(node.id);
      if (s === undefined) {
        s = this.n++;
        this.slotOf.set(node.id, s);
        this.ids[s] = node.id;
        this.parent[s] = -1;
        this.first[s] = this.last[s] = this.next[s] = this.prev[s] = -1;
        this.kidN[s] = 0;
        this.kidState[s] = KIDS_UNKNOWN;
        this.flags[s] = 0;
      } else {
        // A newer row of a known node: it may have started later (exec) or gained children.
        this.hay[s] = undefined;
        if ((node.start ?? 0) !== this.starts[s] && this.parent[s] !== -1) {
          const p = this.parent[s]!;
          this.unlink(p, s);
          this.starts[s] = node.start ?? 0;
          this.link(p, s);
        }
        if (node.childCount > this.kidN[s]! && this.kidState[s] === KIDS_ALL && node.childCount > this.childCount[s]!)
          this.kidState[s] = this.kidN[s]! > 0 ? KIDS_SOME : KIDS_UNKNOWN;
      }
      this.nodes.set(node.id, node);
      this.starts[s] = node.start ?? 0;
      this.childCount[s] = node.childCount;
      this.cids[s] = node.cid;
      this.flags[s] = (this.flags[s]! & ~S_STARTUP) | (node.comm !== null && node.alerts === 0 && STARTUP.has(node.comm) ? S_STARTUP : 0);
      if (this.parent[s] === -1) {
        const p = node.parent === null ? undefined : this.slotOf.get(node.parent);
        if (p !== undefined) this.link(p, s);
        else if (!this.rootSet.has(node.id)) {
          this.rootSet.add(node.id);
          this.rootList = null;
          if (node.parent !== null) {
            const w = this.waiting.get(node.parent);
            if (w) w.push(node.id);
            else this.waiting.set(node.parent, [node.id]);
          }
        }
      }
      const early = this.waiting.get(node.id);
      if (early) {
        this.waiting.delete(node.id);
        for (const k of early) {
          const ks = this.slotOf.get(k)!;
          if (this.parent[ks] === -1) this.link(s, ks);
        }
      }
      if (complete && node.childCount === 0 && this.kidState[s] === KIDS_UNKNOWN) this.kidState[s] = KIDS_ALL;
    }
  }

  private unlink(p: number, c: number): void {
    const a = this.prev[c]!;
    const b = this.next[c]!;
    if (a === -1) this.first[p] = b;
    else this.next[a] = b;
    if (b === -1) this.last[p] = a;
    else this.prev[b] = a;
    this.prev[c] = this.next[c] = -1;
    this.kidN[p]!--;
  }

  /** Child slot `c` under parent slot `p`, in start order (appending is the usual case: O(1)). */
  private link(p: number, c: number): void {
    this.parent[c] = p;
    if (this.rootSet.delete(this.ids[c]!)) this.rootList = null;
    let after = this.last[p]!;
    while (after !== -1 && this.before(c, after)) after = this.prev[after]!;
    const nextOf = after === -1 ? this.first[p]! : this.next[after]!;
    this.prev[c] = after;
    this.next[c] = nextOf;
    if (after === -1) this.first[p] = c;
    else this.next[after] = c;
    if (nextOf === -1) this.last[p] = c;
    else this.prev[nextOf] = c;
    this.kidN[p]!++;
    if (this.kidState[p] === KIDS_UNKNOWN) this.kidState[p] = KIDS_SOME;
    if (this.kidState[p] === KIDS_SOME && this.kidN[p]! >= this.childCount[p]!) this.kidState[p] = KIDS_ALL;
  }

  /** Start order, then id. */
  private before(a: number, b: number): boolean {
    const d = this.starts[a]! - this.starts[b]!;
    return d < 0 || (d === 0 && this.ids[a]! < this.ids[b]!);
  }

  get roots(): number[] {
    this.rootList ??= [...this.rootSet].sort((a, b) => (this.before(this.slotOf.get(a)!, this.slotOf.get(b)!) ? -1 : 1));
    return this.rootList;
  }

  /** Records the children of `id` as fetched (possibly none). */
  setKids(id: number, list: readonly ProcNode[]): void {
    this.add(list);
    const s = this.slotOf.get(id);
    if (s !== undefined) this.kidState[s] = KIDS_ALL;
  }

  /** Children of `id` in start order (loaded ones). */
  kidsOf(id: number): number[] {
    const out: number[] = [];
    const s = this.slotOf.get(id);
    if (s !== undefined) for (let k = this.first[s]!; k !== -1; k = this.next[k]!) out.push(this.ids[k]!);
    return out;
  }

  private hasKidsSlot(s: number): boolean {
    return this.kidState[s] === KIDS_UNKNOWN ? this.childCount[s]! > 0 : this.kidN[s]! > 0;
  }

  hasKids(id: number): boolean {
    const s = this.slotOf.get(id);
    return s !== undefined && this.hasKidsSlot(s);
  }

  /** Some (or all) children of `id` are loaded, or it is known to have none. */
  someKidsLoaded(id: number): boolean {
    const s = this.slotOf.get(id);
    return s !== undefined && this.kidState[s] !== KIDS_UNKNOWN;
  }

  /** Every child of `id` is loaded. */
  kidsLoaded(id: number): boolean {
    const s = this.slotOf.get(id);
    return s !== undefined && this.kidState[s] === KIDS_ALL;
  }

  get size(): number {
    return this.n;
  }

  isExpanded(id: number): boolean {
    const s = this.slotOf.get(id);
    return s !== undefined && (this.flags[s]! & S_EXPANDED) !== 0;
  }

  setExpanded(id: number, on: boolean): void {
    const s = this.slotOf.get(id);
    if (s === undefined) return;
    if (on) this.flags[s]! |= S_EXPANDED;
    else this.flags[s]! &= ~S_EXPANDED;
  }

  /** Expands every loaded node that has children (O(n) over integers). */
  expandAll(): void {
    for (let s = 0; s < this.n; s++) if (this.hasKidsSlot(s)) this.flags[s]! |= S_EXPANDED;
  }

  /** A small tree opens whole; a big one opens its roots (their children load right away). */
  expandInitial(): void {
    if (this.n <= 400) return this.expandAll();
    const roots = this.roots;
    if (roots.length <= 50) for (const id of roots) if (this.hasKids(id)) this.setExpanded(id, true);
  }

  collapseAll(): void {
    for (let s = 0; s < this.n; s++) this.flags[s]! &= ~S_EXPANDED;
  }

  /** Shell start-up noise: a known start-up command, child of a shell, early in its life, leaf. */
  isNoise(id: number): boolean {
    const s = this.slotOf.get(id);
    return s !== undefined && this.isNoiseSlot(s);
  }

  private isNoiseSlot(s: number): boolean {
    if (!(this.flags[s]! & S_STARTUP) || this.hasKidsSlot(s)) return false;
    const n = this.nodes.get(this.ids[s]!)!;
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

  /**
   * Visible rows in tree order: expanded nodes show their children; with `container`, only that
   * container's processes (its topmost ones are the roots). Iterative over integer slots: a
   * 100k-deep chain must not blow the stack, and 100k rows take milliseconds.
   */
  flatten(verbose: boolean, container: string | null = null): { rows: RowList; hidden: number } {
    const rows = new RowList(this.n);
    let hidden = 0;
    // Two parallel stacks (slots, depths): no object per pending node.
    const stack = new Int32Array(this.n + 1);
    const depths = new Int32Array(this.n + 1);
    let sp = 0;
    let roots: number[];
    if (container !== null) {
      roots = [];
      for (let s = 0; s < this.n; s++) {
        const p = this.parent[s]!;
        if (this.cids[s] === container && !(p !== -1 && this.cids[p] === container)) roots.push(s);
      }
      roots.sort((a, b) => (this.before(a, b) ? -1 : 1));
    } else roots = this.roots.map((id) => this.slotOf.get(id)!);
    for (let i = roots.length - 1; i >= 0; i--) {
      stack[sp] = roots[i]!;
      depths[sp++] = 0;
    }
    const { flags, kidState, kidN, childCount, last, prev, ids, cids } = this;
    while (sp > 0) {
      const s = stack[--sp]!;
      const depth = depths[sp]!;
      const f = flags[s]!;
      if (!verbose && f & S_STARTUP && this.isNoiseSlot(s)) {
        hidden++;
        continue;
      }
      const state = kidState[s]!;
      const has = state === KIDS_UNKNOWN ? childCount[s]! > 0 : kidN[s]! > 0;
      const open = has && (f & S_EXPANDED) !== 0;
      rows.push(ids[s]!, depth, has, open, open && state !== KIDS_ALL);
      if (open)
        for (let k = last[s]!; k !== -1; k = prev[k]!) {
          if (container === null || cids[k] === container) {
            stack[sp] = k;
            depths[sp++] = depth + 1;
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
    const stack = this.roots.map((id) => this.slotOf.get(id)!).reverse();
    while (stack.length) {
      const s = stack.pop()!;
      const hay = (this.hay[s] ??= haystack(this.nodes.get(this.ids[s]!)!));
      if ((verbose || !this.isNoiseSlot(s)) && hay.includes(needle)) out.push(this.ids[s]!);
      for (let k = this.last[s]!; k !== -1; k = this.prev[k]!) stack.push(k);
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
    const out: number[] = [];
    for (let s = 0; s < this.n; s++) if (this.hasKidsSlot(s)) out.push(this.ids[s]!);
    return out;
  }
}

export function haystack(n: ProcNode): string {
  return `${n.comm ?? ''}\u0000${n.exe ?? ''}\u0000${argvLine(n.argv)}\u0000${n.cwd ?? ''}`.toLowerCase();
}

export function userName(uid: number | null): string {
  if (uid === null) return '?';
  return uid === 0 ? 'root' : String(uid);
}
