#!/usr/bin/env bash
# Installs the Debian packages that the benchmarks and tests need (Debian 12 "bookworm").
#   python3-torch, python3-numpy, python3-skimage : PyTorch reference VAE (bench/reference/torch_vae.py)
#                                                   and image-quality metrics; they install into Debian's
#                                                   /usr/bin/python3, not into a pyenv Python.
#   chromium, fonts-dejavu-core, xvfb             : headless UI screenshots / desktop-window tests.
#   dataset-fashion-mnist                         : Fashion-MNIST for npm run bench:quality
#                                                   (/usr/share/datasets/fashion-mnist); python3-skimage's
#                                                   data/ photos are its photo-crops set.
# Idempotent: apt-get skips what is already installed. CI calls this script.
set -euo pipefail

PACKAGES=(
  python3-torch
  python3-numpy
  python3-skimage
  chromium
  fonts-dejavu-core
  xvfb
  dataset-fashion-mnist
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-system-deps: must run as root (or have sudo)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: all packages already installed: ${PACKAGES[*]}"
else
  echo "install-system-deps: installing: ${missing[*]}"
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Sanity check: the PyTorch reference must be importable from Debian's interpreter.
/usr/bin/python3 -c 'import torch, numpy; print("install-system-deps: torch", torch.__version__, "numpy", numpy.__version__, "at /usr/bin/python3")'
