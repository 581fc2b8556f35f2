import { createServer } from 'node:net';

// The other end of the wake-up calibration (machine/wake-cost.ts): a TCP server that sends every chunk it
// reads straight back, doing nothing else, so that its CPU time per message is the cost of being woken,
// reading and writing. Prints `{"ready":true,"port":…}` once listening; SIGTERM closes it.

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('data', (chunk) => socket.write(chunk));
  socket.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ ready: true, port: typeof address === 'object' && address !== null ? address.port : 0 }));
});
const close = () => server.close(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);
