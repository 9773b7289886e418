// The Electron transport: the preload's bridge (shared/contract/bridge.ts, window.vaeStudio) as a Transport.
import type { VaeStudioBridge } from '../../shared/contract/bridge';
import type { Transport } from '../../shared/contract/transport';

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

  onEvent(listener: (service: string, event: string, payload: unknown) => void): () => void {
    return this.bridge.onEvent(listener);
  }

  mediaUrl(ref: string): string {
    return this.bridge.mediaUrl(ref);
  }
}
