// The printed report: one row per dataset, budget, configuration and prior, then the side-by-side ratios of each
// configuration against `old` measured in the same run.
export interface ReportRow {
  dataset: string;
  /** The training budget's label ("5min", "800steps"); empty for the floor. */
  budget: string;
  config: string;
  /** 'fitted' / 'standard' for samples, 'train-images' for the real-against-real floor. */
  source: string;
  steps: number | null;
  psnr: number | null;
  bitsPerDim: number | null;
  fid: number;
  kid: number;
  kidStd: number;
  c2st: number;
}

const HEADER = ['dataset', 'budget', 'config', 'samples from', 'steps', 'PSNR dB', 'bits/dim', 'FID', 'KID×1e3', 'C2ST acc'];

const fixed = (v: number | null, digits: number) => (v === null ? '—' : v.toFixed(digits));

export function formatRow(r: ReportRow): string[] {
  return [
    r.dataset,
    r.budget || '—',
    r.config,
    r.source,
    r.steps === null ? '—' : String(r.steps),
    fixed(r.psnr, 2),
    fixed(r.bitsPerDim, 3),
    r.fid.toFixed(2),
    `${(r.kid * 1e3).toFixed(2)} ± ${(r.kidStd * 1e3).toFixed(2)}`,
    r.c2st.toFixed(3),
  ];
}

export function formatTable(rows: ReportRow[]): string {
  const cells = [HEADER, ...rows.map(formatRow)];
  const widths = HEADER.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  return cells.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ')).join('\n');
}

/** For each config other than `old`: PSNR gain and KID ratio against `old` at the same dataset, budget and prior. */
export function formatComparisons(rows: ReportRow[]): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    if (r.config === 'old' || r.source === 'train-images') continue;
    const base = rows.find((b) => b.config === 'old' && b.dataset === r.dataset && b.budget === r.budget && b.source === r.source);
    if (!base) continue;
    const psnr = r.psnr !== null && base.psnr !== null ? `${r.psnr - base.psnr >= 0 ? '+' : ''}${(r.psnr - base.psnr).toFixed(2)} dB PSNR` : '';
    const kid = base.kid > 0 ? `KID ${(r.kid / base.kid).toFixed(2)}× of old` : `KID ${(r.kid * 1e3).toFixed(2)}e-3 vs old ${(base.kid * 1e3).toFixed(2)}e-3`;
    lines.push(`${r.dataset} ${r.budget}, ${r.source} prior: ${r.config} vs old: ${psnr}, ${kid}, FID ${r.fid.toFixed(2)} vs ${base.fid.toFixed(2)}`);
  }
  return lines;
}
