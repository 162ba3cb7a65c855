import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy in front of a store that can be told to stop answering. */
export interface StallProxy {
  /** `http://127.0.0.1:<port>`: use it as the DynamoDB endpoint. */
  readonly endpoint: string;
  /**
   * From now on the proxy accepts connections and never answers: open connections are cut (so
   * pooled sockets do not keep working) and new ones are held open without a byte sent back.
   */
  stall(): void;
  /** Closes the proxy and every connection it holds. */
  close(): Promise<void>;
}

/**
 * Starts a TCP server on a free port of 127.0.0.1. With `upstream` (`http://host:port`) it forwards
 * every connection there until {@link StallProxy.stall}; without, it is stalled from the start: a
 * store that accepts connections and never answers.
 */
export async function startStallProxy(upstream?: string): Promise<StallProxy> {
  const target = upstream === undefined ? undefined : new URL(upstream);
  let stalled = target === undefined;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (stalled || target === undefined) {
      client.resume();
      return;
    }
    const store = createConnection({ host: target.hostname, port: Number(target.port) });
    track(store);
    client.pipe(store);
    store.pipe(client);
    client.on('close', () => store.destroy());
    store.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The proxy has no TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stall() {
      stalled = true;
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
