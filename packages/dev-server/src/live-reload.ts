import type { IncomingMessage, ServerResponse } from 'node:http';

/** A build error as the browser overlay shows it. */
export interface ErrorReport {
  /** `file:line:column`, when the error names a place. */
  location: string | undefined;
  message: string;
  hint: string | undefined;
  /** The same text the terminal shows. */
  text: string;
}

export type ReloadEvent =
  | { type: 'reload'; version: number }
  | { type: 'css'; version: number; paths: string[] }
  | { type: 'build-error'; error: ErrorReport }
  | { type: 'clear' };

export interface ReloadHub {
  /** Holds a server-sent-events response open and greets it with the current state. */
  connect(request: IncomingMessage, response: ServerResponse): void;
  send(event: ReloadEvent): void;
  clients(): number;
  close(): void;
}

/** Live reload over server-sent events: one long response per open page, no WebSocket needed. */
export function createReloadHub(state: () => { version: number; error: ErrorReport | undefined }): ReloadHub {
  const open = new Set<ServerResponse>();
  const write = (response: ServerResponse, name: string, data: unknown) => {
    response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  return {
    connect(request, response) {
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.flushHeaders();
      open.add(response);
      request.on('close', () => open.delete(response));
      write(response, 'hello', state());
    },
    send(event) {
      const data = event.type === 'build-error' ? event.error : event;
      for (const response of open) write(response, event.type, data);
    },
    clients: () => open.size,
    close() {
      for (const response of open) response.end();
      open.clear();
    },
  };
}
