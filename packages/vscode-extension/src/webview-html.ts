/** The webview's HTML and its Content-Security-Policy (the extension and the browser tests render the same page). */

import { randomBytes } from 'node:crypto';

export interface WebviewPage {
  /** `webview.cspSource`: the origin the webview loads local resources from. */
  readonly cspSource: string;
  /** Fresh per render; only scripts carrying it run. */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly title: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Nothing by default. Scripts only with the nonce ('wasm-unsafe-eval' lets tfjs compile its WebAssembly, nothing
 * else); styles, images, fonts and fetches (weights, .wasm, examples, the engine worker's code) only from the
 * webview's own resource origin; images also from blob:/data: (previews made in the page); the engine's worker
 * only from a blob: URL the page made from that fetched code.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} blob: data:`,
    `font-src ${cspSource}`,
    `connect-src ${cspSource}`,
    'worker-src blob:',
  ].join('; ');
}

export function renderWebviewHtml(page: WebviewPage): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(page.cspSource, page.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
</head>
<body>
<main id="impasto-root" data-nonce="${page.nonce}"></main>
<script type="module" nonce="${page.nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>
`;
}

/** A script-free page that only says something (e.g. that the weights are missing). */
export function renderNoticeHtml(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 1.5em; }</style>
</head>
<body><h2>${escapeHtml(title)}</h2><p>${escapeHtml(message)}</p></body>
</html>
`;
}

/** 128 random bits, base64: a CSP nonce. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}
