// How the CLI speaks: with --json one JSON object per line on stdout (progress events, then a result or an
// error); without it, a progress bar with ETA on a terminal and plain lines otherwise.
import { formatDuration, type ProgressEvent } from '../../shared/progress';

export interface Output {
  readonly json: boolean;
  progress(event: ProgressEvent): void;
  /** A human line (suppressed in --json mode). */
  say(line: string): void;
  result(data: Record<string, unknown>, human: string): void;
  /** The failure; `details` go into the JSON error event, `human` is printed before the message. */
  error(message: string, details?: Record<string, unknown>, human?: string): void;
}

const BAR_WIDTH = 24;
const PLAIN_INTERVAL_MS = 2000;

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  const tty = Boolean(stderr.isTTY);
  let barShown = false;
  let lastPlain = 0;

  const clearBar = () => {
    if (barShown) {
      stderr.write('\r\x1b[2K');
      barShown = false;
    }
  };

  return {
    json,
    progress(event) {
      if (json) {
        stdout.write(`${JSON.stringify({ event: 'progress', ...event })}\n`);
        return;
      }
      const pct = event.fraction === null ? '' : `${String(Math.round(event.fraction * 100)).padStart(3)}%`;
      const eta = event.etaSeconds === null ? '' : ` · ETA ${formatDuration(event.etaSeconds)}`;
      if (tty) {
        const filled = event.fraction === null ? 0 : Math.round(event.fraction * BAR_WIDTH);
        const bar = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`;
        const line = `${bar} ${pct} ${event.message}${eta}`;
        const width = (stderr as { columns?: number }).columns ?? 100;
        stderr.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
        barShown = true;
      } else if (Date.now() - lastPlain >= PLAIN_INTERVAL_MS || event.fraction === 1) {
        lastPlain = Date.now();
        stderr.write(`${pct ? `${pct.trim()} ` : ''}${event.message}${eta}\n`);
      }
    },
    say(line) {
      if (json) return;
      clearBar();
      stderr.write(`${line}\n`);
    },
    result(data, human) {
      if (json) {
        stdout.write(`${JSON.stringify({ event: 'result', ...data })}\n`);
        return;
      }
      clearBar();
      if (human) stdout.write(`${human}\n`);
    },
    error(message, details, human) {
      if (json) {
        stdout.write(`${JSON.stringify({ event: 'error', message, ...(details ? { details } : {}) })}\n`);
        return;
      }
      clearBar();
      if (human) stderr.write(`${human}\n`);
      stderr.write(`Error: ${message}\n`);
    },
  };
}
