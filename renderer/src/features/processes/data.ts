/** From the store's process rows to tree nodes, with container names from the containers list. */
import type { ContainerRow, ProcessRow } from '../../../../shared/api';
import type { ProcNode } from './model';

export function toNode(p: ProcessRow, containers: ReadonlyMap<string, ContainerRow>, alerts: ReadonlyMap<number, number> = new Map()): ProcNode {
  const c = p.cid ? containers.get(p.cid) : undefined;
  return {
    id: p.id,
    parent: p.parent,
    pid: p.pid,
    comm: p.comm,
    exe: p.exe,
    argv: p.argv,
    cwd: p.cwd,
    uid: p.uid,
    euid: p.euid,
    start: p.execT ?? p.firstT,
    exit: p.exitT,
    exitCode: p.exitCode,
    exitSignal: p.exitSignal,
    cid: p.cid,
    container: c?.name ?? null,
    pod: c?.pod ?? null,
    namespace: c?.namespace ?? null,
    alerts: alerts.get(p.id) ?? 0,
    childCount: p.children,
  };
}
