// Test support: gives a plain Node child process the `process.parentPort` an Electron utilityProcess has, over
// Node's IPC channel (fork with serialization: 'advanced', i.e. structured clone as in Electron), so
// engine-host.ts runs unchanged outside Electron.
import { EventEmitter } from 'node:events';

const port = new EventEmitter();
port.postMessage = (message) => process.send(message);
process.on('message', (data) => port.emit('message', { data, ports: [] }));
// Let the process exit once the parent goes away, as a utility process does.
process.on('disconnect', () => process.exit(0));
process.parentPort = port;
