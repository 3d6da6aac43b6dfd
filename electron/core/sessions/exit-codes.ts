/** What the collector's exit status means for a responder (see the collector's --help). */
export function describeCollectorExit(code: number | null, signal: string | null): string {
  if (signal) return `the collector was killed by SIG${signal}`;
  switch (code) {
    case 0:
      return 'the collector stopped normally';
    case 1:
      return 'the collector hit a runtime error (see the session log)';
    case 2:
      return 'the collector rejected its options (version mismatch between console and collector?)';
    case 3:
      return 'the collector did not run as root';
    case 4:
      return 'the kernel does not support the collector (no BTF or ring buffer, or BPF programs refused)';
    case 5:
      return 'the process probes (fork/exec/exit) could not be attached';
    case 97:
      return 'the collector directory on the node disappeared';
    case 98:
      return 'the collector binary on the node does not match its sha256 (altered after upload)';
    case 126:
    case 127:
      return 'the collector could not be executed on the node (noexec mount, or missing)';
    default:
      return `the collector exited with status ${code}`;
  }
}
