import { createServer, type Server } from 'node:http';
import { SignetError } from '@signet/config';

function tryListen(server: Server, port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      resolve(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(undefined);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** A port near `start` that nothing listens on right now (the system's choice if none nearby is). */
export async function findFreePort(start: number, host: string): Promise<number> {
  for (let port = start; port < Math.min(start + 50, 65536); port += 1) {
    const probe = createServer();
    if ((await tryListen(probe, port, host)) === undefined) {
      await new Promise((resolve) => probe.close(resolve));
      return port;
    }
  }
  const probe = createServer();
  await tryListen(probe, 0, host);
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Listens, or explains why not: a busy port names a free one to use instead (in `command`'s words). Returns the port. */
export async function listen(server: Server, port: number, host: string, command = 'signet dev'): Promise<number> {
  const error = await tryListen(server, port, host);
  if (error?.code === 'EADDRINUSE') {
    const free = await findFreePort(port + 1, host);
    throw new SignetError(`port ${port} on ${host} is already in use`, {
      hint: `Port ${free} is free: run \`${command} --port ${free}\`, or stop the program that uses port ${port}.`,
    });
  }
  if (error?.code === 'EACCES') {
    throw new SignetError(`not allowed to listen on port ${port} on ${host}`, { hint: 'Ports below 1024 need extra rights; use --port 4000.' });
  }
  if (error?.code === 'EADDRNOTAVAIL' || error?.code === 'ENOTFOUND') {
    throw new SignetError(`cannot listen on host ${host}: this machine has no such address`, { hint: 'Use --host 127.0.0.1, or --host 0.0.0.0 for every network.' });
  }
  if (error) throw error;
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
