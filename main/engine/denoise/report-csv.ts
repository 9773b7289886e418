// A denoise batch's per-file report as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break
// quoted, quotes doubled), for a spreadsheet or a script.
import type { ProjectStore } from '../store/project-store';

const HEADER = ['path', 'status', 'output', 'reason', 'input_sha256'];

export function reportCsv(store: ProjectStore, batchId: number): string {
  const rows = store.denoiseBatches
    .items(batchId)
    .map((i) => [i.path, i.status, i.outputPath ?? '', i.error ?? '', i.sha256 ?? '']);
  return [HEADER, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
