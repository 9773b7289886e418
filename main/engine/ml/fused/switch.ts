/** One switch for all fused training ops (fused/): on by default; off gives the plain tfjs-op versions (tests, benchmarks). */
let enabled = true;

export function fusedOpsEnabled(): boolean {
  return enabled;
}

export function setFusedOps(on: boolean): void {
  enabled = on;
}
