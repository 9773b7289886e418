// IPC channel names, shared by the main process and the preload. No imports: the sandboxed preload bundles this.
export const RPC_CHANNEL = 'rpc';
export const HOST_CHANNEL = 'host';
export const EVENT_CHANNEL = 'event';
