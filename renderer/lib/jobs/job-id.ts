/** A client-chosen job id (links a long call to its jobs.progress events and to jobs.cancel). */
export function newJobId(kind: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `${kind}-${Date.now().toString(36)}-${random}`.replace(/[^A-Za-z0-9-]/g, '').slice(0, 64);
}
