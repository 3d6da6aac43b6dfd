import { int, object, optional, record, str, bool, type Infer } from '../../../shared/schema';

/** Capture format version (shared/CAPTURE.md). */
export const CAPTURE_FORMAT = 1;
/** Longest header line read before giving up on finding one. */
export const MAX_HEADER_BYTES = 64 * 1024;

export const CaptureHeaderSchema = object(
  {
    tracehound_capture: int({ min: 1, max: 1000 }),
    id: str({ min: 8, max: 64, pattern: /^[A-Za-z0-9-]+$/ }),
    created: str({ max: 64 }),
    source: optional(str({ max: 32 })),
    node: optional(
      object(
        {
          hostname: optional(str({ max: 256 })),
          boot_id: optional(str({ max: 64 })),
          kernel: optional(str({ max: 256 })),
          arch: optional(str({ max: 32 })),
        },
        { extra: 'keep' },
      ),
    ),
    collector: optional(str({ max: 64 })),
    /** Wall-clock start, nanoseconds since the epoch, as a decimal string (beyond 2^53). */
    start_wall_ns: optional(str({ max: 24, pattern: /^\d+$/ })),
    redacted: optional(bool()),
    derived_from: optional(str({ max: 64 })),
    labels: optional(record(str({ max: 256 }), { maxKeys: 64 })),
  },
  { extra: 'keep' },
);
export type CaptureHeader = Infer<typeof CaptureHeaderSchema>;

export type Compression = 'gzip' | 'zstd' | 'none';

/** The compression of a file, from its first bytes. */
export function sniffCompression(first: Buffer): Compression {
  if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) return 'gzip';
  if (first.length >= 4 && first.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/** True when a parsed first line is a capture header rather than a collector line. */
export function looksLikeHeader(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'tracehound_capture' in v;
}
