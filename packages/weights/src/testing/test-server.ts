/** Test helper: an HTTP server on 127.0.0.1 whose routes a test sets, recording every request. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  readonly base: string;
  readonly routes: Map<string, Route>;
  readonly requests: Array<{ url: string; range: string | undefined }>;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const requests: TestServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', range: req.headers.range });
    const route = routes.get(req.url ?? '');
    if (route) route(req, res);
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { base, routes, requests, close };
}

/** Serves `body`, honouring `Range: bytes=N-` with 206 unless `ignoreRange`. */
export function serveBytes(body: Uint8Array, options: { ignoreRange?: boolean } = {}): Route {
  return (req, res) => {
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = match && !options.ignoreRange ? Number(match[1]) : 0;
    if (from >= body.length && match && !options.ignoreRange) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const headers: Record<string, string | number> = { 'content-length': body.length - from };
    if (from > 0) headers['content-range'] = `bytes ${from}-${body.length - 1}/${body.length}`;
    res.writeHead(from > 0 ? 206 : 200, headers);
    res.end(body.subarray(from));
  };
}

/** Announces the full length, sends only the first `bytes`, then drops the connection. */
export function serveThenCut(body: Uint8Array, bytes: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-length': body.length });
    res.write(body.subarray(0, bytes), () => setTimeout(() => res.destroy(), 100));
  };
}
