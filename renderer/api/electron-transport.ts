// The Electron transport: the preload's contextBridge API. The bridge does the IPC; this only adapts shapes.
import type { Transport } from '../../shared/contract/transport';

type EventListener = (service: string, event: string, payload: unknown) => void;

export interface VaeStudioBridge {
  call(service: string, method: string, input: unknown): Promise<unknown>;
  onEvent(listener: (...args: unknown[]) => void): (() => void) | void;
  mediaUrl(ref: string): string;
  pickFolder(): Promise<string | null>;
  pickFile(): Promise<string | null>;
}

declare global {
  interface Window {
    vaeStudio?: VaeStudioBridge;
  }
}

export class ElectronTransport implements Transport {
  constructor(private readonly bridge: VaeStudioBridge) {}

  call(service: string, method: string, input: unknown): Promise<unknown> {
    return this.bridge.call(service, method, input);
  }

  onEvent(listener: EventListener): () => void {
    // Accept both (service, event, payload) and one {service, event, payload} message.
    const off = this.bridge.onEvent((...args: unknown[]) => {
      const [first] = args;
      if (typeof first === 'object' && first !== null) {
        const m = first as { service?: unknown; event?: unknown; payload?: unknown };
        if (typeof m.service === 'string' && typeof m.event === 'string') listener(m.service, m.event, m.payload);
      } else if (typeof first === 'string' && typeof args[1] === 'string') {
        listener(first, args[1], args[2]);
      }
    });
    return typeof off === 'function' ? off : () => {};
  }

  mediaUrl(ref: string): string {
    return this.bridge.mediaUrl(ref);
  }
}
