// vae-studio <command> [args] [--json]: the command-line host of the engine.
import { demoCommand } from './commands/demo';
import { denoiseCommand } from './commands/denoise';
import { evalCommand } from './commands/eval';
import { interpolateCommand, reconstructCommand, sampleCommand } from './commands/generate';
import { importCommand } from './commands/import';
import { infoCommand } from './commands/info';
import { newCommand } from './commands/new';
import { serveCommand } from './commands/serve';
import { trainCommand } from './commands/train';
import type { Command } from './commands/types';
import { InvalidOptionError } from '../engine/operations/options';
import { CommandError, UsageError } from './args';
import { createOutput } from './output';
import { APP_VERSION } from '../engine/version';

const COMMANDS: Command[] = [newCommand, importCommand, trainCommand, sampleCommand, reconstructCommand, interpolateCommand, denoiseCommand, evalCommand, infoCommand, serveCommand, demoCommand];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `VAE Studio ${APP_VERSION} — train variational autoencoders on your images`,
    '',
    'Usage: vae-studio <command> [args] [--json]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'vae-studio <command> --help shows a command\'s flags. --json prints one JSON event per line.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  const out = createOutput(json);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${APP_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    out.error(`Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: ${command.usage}\n`);
    return 0;
  }

  // First Ctrl-C (or SIGTERM) asks the job to stop cleanly — training saves a checkpoint; a second one quits.
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    out.say(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after the current step… (again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await command.run(rest, out, controller.signal);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    out.error(message, error instanceof CommandError ? error.details : undefined, error instanceof CommandError ? error.human : undefined);
    if (process.env.VAE_STUDIO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return error instanceof UsageError || error instanceof InvalidOptionError ? 2 : 1;
  }
}

// A reader that went away (a closed pipe) is no reason to crash halfway through saving a checkpoint: the
// output is dropped and the job finishes.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
