/**
 * Detection on the bundled sample capture (a real recording, assets/record-sample.sh): the
 * intrusion's steps are flagged, and the ordinary client traffic of the same container is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Detector } from '../../electron/core/detect';
import { parseLine } from '../../shared/events';
import { sampleCapture } from '../../electron/core/paths';

test('the sample intrusion raises its alerts and nothing for the benign requests', () => {
  const file = sampleCapture(join(__dirname, '..', '..'));
  assert.ok(file, 'a sample capture is bundled');
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  const d = new Detector();
  lines.forEach((l, i) => {
    const c = parseLine(l);
    if (c.ok) d.observe(c.event, i + 1);
  });
  const alerts = d.alerts();
  const rules = new Set(alerts.map((a) => a.rule));
  for (const r of ['shell-from-service', 'sensitive-file-read', 'download-tool', 'exec-from-writable', 'shell-outbound']) {
    assert.ok(rules.has(r), `${r} raised; got ${[...rules].join(', ')}`);
  }
  assert.ok(alerts.some((a) => a.rule === 'sensitive-file-read' && /\/etc\/shadow/.test(a.message)));
  assert.ok(alerts.some((a) => a.rule === 'exec-from-writable' && /^\/tmp\//.test(a.message)));
  // The client's plain page fetches are wget too, but outside the intrusion chain.
  const downloads = alerts.filter((a) => a.rule === 'download-tool');
  assert.ok(downloads.every((a) => !/ http:\/\/127\.0\.0\.1:8080\/$/.test(a.message)), downloads.map((a) => a.message).join('\n'));
  // Evidence points at lines of the same process.
  for (const a of alerts) {
    const ev = JSON.parse(lines[a.evidence[0]! - 1]!) as { pid: number };
    assert.equal(ev.pid, a.pid);
  }
});
