#!/usr/bin/env bash
# Runs the PyTorch reference over sizes x thread counts and appends one JSON line per run
# (plus the round number) to $OUT (default bench/out/torch-ref.jsonl).
#   bash bench/reference/run_matrix.sh            # sizes 32 64 128, threads 2 1, 1 round
#   SIZES="64" THREADS="2" ROUNDS=3 bash bench/reference/run_matrix.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${VAE_STUDIO_TORCH_PYTHON:-/usr/bin/python3}"
SIZES="${SIZES:-32 64 128}"
THREADS="${THREADS:-2 1}"
ROUNDS="${ROUNDS:-1}"
STEPS="${STEPS:-30}"
WARMUP="${WARMUP:-5}"
OUT="${OUT:-bench/out/torch-ref.jsonl}"
mkdir -p "$(dirname "$OUT")"
for r in $(seq 1 "$ROUNDS"); do
  for s in $SIZES; do
    for t in $THREADS; do
      line=$("$PY" bench/reference/torch_vae.py --size "$s" --latent 128 --batch 32 \
        --steps "$STEPS" --warmup "$WARMUP" --threads "$t" --json)
      echo "${line%\}}, \"round\": $r}" | tee -a "$OUT"
    done
  done
done
