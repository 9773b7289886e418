// The engine's own process under Electron (a utilityProcess): the same app engine the local server runs
// in-process, reached through parentPort. A crash here takes down no window; main restarts it (engine-process.ts).
// No 'electron' import: process.parentPort is all this process needs.
import type { AppEngine } from '../studio/api';
import { createAppEngine } from '../studio/engine';
import { answerCall, parseCall } from '../host/wire';
import type { FromEngine, ToEngine } from './engine-messages';

const port = process.parentPort;
let engine: Promise<AppEngine> | null = null;

function post(message: FromEngine): void {
  port.postMessage(message);
}

function start(options: Extract<ToEngine, { type: 'init' }>['options']): Promise<AppEngine> {
  const started = Promise.resolve(createAppEngine(options)).then((created) => {
    created.onEvent((service, event, payload) => {
      try {
        post({ type: 'event', text: JSON.stringify({ service, event, payload }) });
      } catch (error) {
        console.error(`Dropped a ${service}.${event} event that cannot be written as JSON: ${(error as Error).message}`);
      }
    });
    post({ type: 'ready' });
    return created;
  });
  started.catch((error: unknown) => {
    post({ type: 'fatal', message: `The engine could not start: ${error instanceof Error ? error.message : String(error)}` });
    setTimeout(() => process.exit(1), 100);
  });
  return started;
}

async function handle(message: ToEngine): Promise<void> {
  if (message.type === 'init') {
    engine ??= start(message.options);
    return;
  }
  if (!engine) throw new Error(`The engine got "${message.type}" before it was started.`);
  const ready = await engine;
  switch (message.type) {
    case 'call': {
      const parsed = parseCall(message.text);
      const reply = parsed.ok ? await answerCall(ready, parsed.call) : parsed.reply;
      let text: string;
      try {
        text = JSON.stringify(reply);
      } catch (error) {
        text = JSON.stringify({ id: reply.id, ok: false, error: { code: 'failed', message: `The engine's answer could not be sent: ${(error as Error).message}` } });
      }
      post({ type: 'reply', text });
      return;
    }
    case 'media': {
      const media = await ready.media(message.ref).catch(() => null);
      post({ type: 'media', id: message.id, media });
      return;
    }
    case 'shutdown':
      await ready.shutdown();
      post({ type: 'shutdown-done' });
      return;
  }
}

port.on('message', ({ data }) => {
  handle(data as ToEngine).catch((error: unknown) => console.error(error));
});
