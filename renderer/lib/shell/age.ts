// "5 min ago", "yesterday", "3 days ago": how old a checkpoint or an image is, at a glance.
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** "step 848 · 5 min ago": how a checkpoint is named everywhere it is referenced. */
export function checkpointLabel(step: number, savedAt: string | null): string {
  return savedAt ? `step ${step} · ${ago(savedAt)}` : `step ${step} (deleted)`;
}
