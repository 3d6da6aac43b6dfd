#!/usr/bin/env bash
# Debian/Ubuntu packages the test suites use: compilers for the eBPF collector, sshd, runc and
# busybox for containers, Chromium for the end-to-end tests. Installs only what is missing.
set -euo pipefail
pkgs=(g++ make python3 clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libzstd-dev make gcc
      runc busybox-static openssh-server openssh-client chromium fonts-dejavu-core
      iproute2 util-linux zstd jq sudo qemu-system-x86 cpio)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
