// A denoise batch's per-file report as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break
// quoted, quotes doubled), for a spreadsheet or a script. The noise columns (σ on 0..255, estimated from the photo
// and the one its denoising was set for) come last, so scripts that read the first five by position still work.
import type { ProjectStore } from '../store/project-store';

const HEADER = ['path', 'status', 'output', 'reason', 'input_sha256', 'estimated_sigma', 'sigma_used'];

export function reportCsv(store: ProjectStore, batchId: number): string {
  const rows = store.denoiseBatches
    .items(batchId)
    .map((i) => [i.path, i.status, i.outputPath ?? '', i.error ?? '', i.sha256 ?? '', sigmaField(i.estimatedSigma), sigmaField(i.sigma)]);
  return [HEADER, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const sigmaField = (sigma: number | null) => (sigma === null ? '' : sigma.toFixed(1));

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
