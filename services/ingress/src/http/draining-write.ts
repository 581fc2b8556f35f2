import type { ServerResponse } from 'node:http';

/** True once nothing more can be written to the response. */
export function responseGone(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded;
}

/** Writes bytes and waits for 'drain' when the socket is full; false once the client has gone. */
export function drainingWrite(res: ServerResponse, chunk: Buffer | string): Promise<boolean> {
  if (responseGone(res)) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const settle = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
