/**
 * Runs the real webview page in Chromium against the real extension side: the extension's session (on the typed
 * vscode stand-in) serves a FakeWebview whose messages cross into the page through a stand-in for acquireVsCodeApi.
 * Bytes cross the Playwright boundary as base64 and become Uint8Array again on both sides, as VS Code does.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type StaticServer, serveStatic } from '@impasto/browser-testing';
import type { Page } from 'playwright-core';
import { openStylizeSession } from '../src/stylize-session.js';
import { flatten } from '../src/test/flat-messages.js';
import { FakeWebview, FakeWebviewPanel, Uri } from '../src/test/vscode-fake.js';

type Encoded = unknown;

/** Uint8Array ↔ { $bytes: base64 }, recursively (runs in Node; the page has its own copy below). */
function encode(value: unknown): Encoded {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
}

function decode(value: Encoded): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.$bytes === 'string') return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

/** Defines acquireVsCodeApi in the page (callable once, like VS Code's) and watches for CSP violations. */
const PAGE_STAND_IN = `(() => {
  const toBytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const fromBytes = (u8) => { let s = ''; for (const b of u8) s += String.fromCharCode(b); return btoa(s); };
  const encode = (v) => v instanceof Uint8Array ? { $bytes: fromBytes(v) }
    : Array.isArray(v) ? v.map(encode)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)])) : v;
  const decode = (v) => Array.isArray(v) ? v.map(decode)
    : v && typeof v === 'object' ? (typeof v.$bytes === 'string' ? toBytes(v.$bytes)
      : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]))) : v;
  let state; let acquired = false;
  window.__impastoDeliver = (m) => window.postMessage(decode(m), '*');
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return {
      postMessage: (m) => window.__impastoToHost(encode(m)),
      getState: () => state,
      setState: (s) => { state = s; },
    };
  };
})();`;

export interface WebviewHost {
  readonly panel: FakeWebviewPanel;
  /** Every message the page sent to the extension, in order (decoded, flat: { type, ...payload }). */
  readonly fromPage: { type: string; [k: string]: unknown }[];
  /** Resolves with the first message of `type` from the page after `from` (an index into fromPage). */
  waitFor(type: string, from?: number, timeoutMs?: number): Promise<{ type: string; [k: string]: unknown }>;
  close(): Promise<void>;
}

/**
 * Opens `image` in a session whose webview is `page`: the extension dist (dist/webview) and the weights folder are
 * served over HTTP and asWebviewUri maps to them; the rendered HTML (with its CSP) becomes the page.
 */
export async function openWebviewHost(
  page: Page,
  options: { image: Uri; distDir: string; weightsDir: string; extensionDir: string; globalStorage: Uri },
): Promise<WebviewHost> {
  const pageDir = mkdtempSync(path.join(tmpdir(), 'impasto-webview-page-'));
  // No cross-origin isolation headers: VS Code webviews are not isolated either.
  const server: StaticServer = await serveStatic(
    { '/weights/': options.weightsDir, '/webview/': path.join(options.distDir, 'webview'), '/': pageDir },
    {},
  );
  const webviewRoot = `${path.join(options.distDir, 'webview')}/`;
  const toUrl = (uri: Uri) => {
    if (uri.path.startsWith(webviewRoot) || `${uri.path}/` === webviewRoot) {
      return `${server.url}/webview/${uri.path.slice(webviewRoot.length)}`;
    }
    if (uri.path.startsWith(options.weightsDir))
      return `${server.url}/weights${uri.path.slice(options.weightsDir.length)}`;
    throw new Error(`the webview asked for ${uri.path}, outside its resource roots`);
  };
  const panel = new FakeWebviewPanel(new FakeWebview(toUrl, server.url));
  const fromPage: WebviewHost['fromPage'] = [];
  const waiters = new Set<() => void>();

  await page.exposeFunction('__impastoToHost', (m: Encoded) => {
    const message = decode(m);
    const flat = flatten(message);
    if (flat?.type) fromPage.push({ ...flat, type: flat.type });
    for (const w of [...waiters]) w();
    panel.webview.receive(message);
  });
  await page.addInitScript(PAGE_STAND_IN);
  // The extension's hello comes before the page exists (VS Code drops it likewise): nothing to deliver it to.
  panel.webview.onPost = (m) =>
    void page.evaluate((e) => (window as never as Deliver).__impastoDeliver?.(e), encode(m)).catch(() => undefined);
  await openStylizeSession(panel as never, options.image, {
    extensionUri: Uri.file(options.extensionDir),
    globalStorageUri: options.globalStorage,
  });
  mkdirSync(pageDir, { recursive: true });
  writeFileSync(path.join(pageDir, 'index.html'), panel.webview.html);
  await page.goto(`${server.url}/index.html`);

  return {
    panel,
    fromPage,
    waitFor(type, from = 0, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = fromPage.slice(from).find((m) => m.type === type);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} message within ${timeoutMs} ms; got ${fromPage.map((m) => m.type).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => server.close(),
  };
}

interface Deliver {
  __impastoDeliver(m: Encoded): void;
}
