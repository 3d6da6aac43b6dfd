/**
 * The first schema. Events keep typed columns for what the queries filter and sort on, and the
 * collector's line as received in `data`, so unknown fields of newer collectors are never lost.
 * `t` is wall-clock microseconds (boot-time `ts` shifted by the node's clock anchor): it orders
 * events of several nodes together and stays below 2^53, unlike wall-clock nanoseconds.
 */
export const version = 1;
export const name = 'initial';

export const sql = `
CREATE TABLE nodes (
  id INTEGER PRIMARY KEY,
  boot_id TEXT NOT NULL UNIQUE,
  hostname TEXT NOT NULL,
  kernel TEXT,
  arch TEXT,
  collector TEXT,
  -- wall_ns - boot_ns of the hello line: wall time of an event = ts + clock_offset
  clock_offset INTEGER NOT NULL DEFAULT 0,
  hello TEXT NOT NULL
);

CREATE TABLE captures (
  id INTEGER PRIMARY KEY,
  -- header id of a capture file, or a content hash; null for live streams
  ident TEXT UNIQUE,
  source TEXT NOT NULL,
  path TEXT,
  node INTEGER REFERENCES nodes(id),
  header TEXT,
  state TEXT NOT NULL DEFAULT 'importing',
  -- committed together with the events: a resumed import skips what is already in
  lines_done INTEGER NOT NULL DEFAULT 0,
  bytes_done INTEGER NOT NULL DEFAULT 0,
  events INTEGER NOT NULL DEFAULT 0,
  bad_lines INTEGER NOT NULL DEFAULT 0,
  unknown_kinds INTEGER NOT NULL DEFAULT 0,
  drops INTEGER NOT NULL DEFAULT 0,
  stopped_reason TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
);

CREATE TABLE bad_lines (
  capture INTEGER NOT NULL REFERENCES captures(id),
  line INTEGER NOT NULL,
  field TEXT NOT NULL,
  message TEXT NOT NULL,
  excerpt TEXT NOT NULL
);
CREATE INDEX bad_lines_capture ON bad_lines(capture, line);

CREATE TABLE containers (
  id INTEGER PRIMARY KEY,
  node INTEGER NOT NULL REFERENCES nodes(id),
  cid TEXT NOT NULL,
  cgroup INTEGER,
  runtime TEXT,
  name TEXT,
  image TEXT,
  pod TEXT,
  namespace TEXT,
  pod_uid TEXT,
  sandbox_id TEXT,
  bundle TEXT,
  annotations TEXT,
  first_t INTEGER,
  last_t INTEGER,
  events INTEGER NOT NULL DEFAULT 0,
  UNIQUE (node, cid)
);

-- events per container per second, kept at ingest so timelines never scan the events
CREATE TABLE container_activity (
  container INTEGER NOT NULL REFERENCES containers(id),
  second INTEGER NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (container, second)
) WITHOUT ROWID;

CREATE TABLE processes (
  id INTEGER PRIMARY KEY,
  node INTEGER NOT NULL REFERENCES nodes(id),
  pid INTEGER NOT NULL,
  -- start time in clock ticks (PROTOCOL.md): /proc snapshots and eBPF agree at this resolution
  start_key INTEGER NOT NULL,
  start INTEGER,
  ppid INTEGER,
  parent INTEGER REFERENCES processes(id),
  -- proc (snapshot), fork, exec (seen only from its exec), placeholder (seen only through others)
  origin TEXT NOT NULL,
  comm TEXT,
  exe TEXT,
  argv TEXT,
  -- argv joined by spaces: what a responder types when searching
  cmdline TEXT,
  cwd TEXT,
  uid INTEGER,
  euid INTEGER,
  container INTEGER REFERENCES containers(id),
  first_t INTEGER,
  exec_t INTEGER,
  exit_t INTEGER,
  exit_code INTEGER,
  exit_signal INTEGER,
  execs INTEGER NOT NULL DEFAULT 0,
  UNIQUE (node, pid, start_key)
);
CREATE INDEX processes_parent ON processes(parent);
CREATE INDEX processes_container ON processes(container);

CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  t INTEGER NOT NULL,
  kind TEXT NOT NULL,
  node INTEGER,
  capture INTEGER,
  proc INTEGER,
  pid INTEGER,
  container INTEGER,
  data TEXT NOT NULL
);
CREATE INDEX events_t ON events(t);
CREATE INDEX events_kind_t ON events(kind, t);
CREATE INDEX events_proc_t ON events(proc, t);
CREATE INDEX events_container_t ON events(container, t);

-- events per kind, kept at ingest so the overview never counts a million rows
CREATE TABLE kind_counts (
  kind TEXT PRIMARY KEY,
  events INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE syscall_sets (
  container INTEGER,
  cgroup INTEGER NOT NULL,
  node INTEGER NOT NULL,
  arch TEXT NOT NULL,
  phase TEXT NOT NULL,
  nr INTEGER NOT NULL,
  first_t INTEGER NOT NULL,
  PRIMARY KEY (node, cgroup, arch, phase, nr)
) WITHOUT ROWID;

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  t INTEGER NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  proc INTEGER REFERENCES processes(id),
  container INTEGER REFERENCES containers(id),
  event INTEGER REFERENCES events(seq),
  detail TEXT
);
CREATE INDEX alerts_t ON alerts(t);

CREATE TABLE policy_drafts (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  container INTEGER REFERENCES containers(id),
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  provenance TEXT
);
`;
