/**
 * A small static server for `dev` and `preview`, sending the headers the site needs (cross-origin isolation for
 * wasm threads; revalidation on every use). Any static host with the same headers serves the site as well.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const SITE_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export interface SiteServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** URL prefix ('/', '/weights/') → folder. The longest matching prefix wins. */
  readonly mounts: Record<string, string>;
  readonly port?: number;
  readonly host?: string;
}

/** The file a request path names below `dir`, or undefined if the path tries to leave it. */
export function fileFor(dir: string, urlPath: string): string | undefined {
  const root = path.resolve(dir);
  const file = path.resolve(root, `.${path.posix.sep}${urlPath}`);
  return file === root || file.startsWith(root + path.sep) ? file : undefined;
}

export async function serveSite({ mounts, port = 0, host = '127.0.0.1' }: ServeOptions): Promise<SiteServer> {
  const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  const server = createServer((req, res) => {
    respond(req, res).catch((error: unknown) => {
      console.error(`serving ${req.url}: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, SITE_HEADERS);
      res.end();
    });
  });
  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    const notFound = () => void res.writeHead(404, { ...SITE_HEADERS, 'Content-Type': TYPES['.txt'] }).end('not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, SITE_HEADERS).end();
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://site').pathname);
    } catch {
      return notFound();
    }
    const mount = entries.find(([prefix]) => urlPath.startsWith(prefix));
    let file = mount && fileFor(mount[1], urlPath.slice(mount[0].length));
    let info = file ? await stat(file).catch(() => undefined) : undefined;
    if (file && info?.isDirectory()) {
      file = path.join(file, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!file || !info?.isFile()) return notFound();
    const modified = info.mtime.toUTCString();
    if (req.headers['if-modified-since'] === modified) return void res.writeHead(304, SITE_HEADERS).end();
    res.writeHead(200, {
      ...SITE_HEADERS,
      'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Last-Modified': modified,
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
