// Progress events every long job emits; the CLI prints them, the app shows them. No Node, no DOM.

export interface ProgressEvent {
  /** The job kind, e.g. "import", "train". */
  job: string;
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  /** Seconds left, or null until there is enough history to say. */
  etaSeconds: number | null;
  /** One short human line, e.g. "epoch 3/30 · step 412 · loss 5123.4". */
  message: string;
  /** Structured details for tools (step, epoch, losses, file counts...). */
  detail?: Record<string, unknown>;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** Formats seconds as "1h 02m", "3m 05s" or "12s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}
