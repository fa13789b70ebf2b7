/**
 * The panel's look. Hosts theme it with CSS variables on any ancestor (the VS Code webview maps them to
 * --vscode-* colours, Figma to its own), so the panel itself never changes per host.
 */
export const PANEL_CSS = `
:root { --ip-bg: #fff; --ip-fg: #1d1d1f; --ip-muted: #6b6b73; --ip-accent: #5b4cdb; --ip-accent-fg: #fff;
  --ip-border: #d9d9e0; --ip-error: #c62828; --ip-radius: 6px; --ip-font: system-ui, sans-serif; }
.impasto-panel { font: 13px/1.4 var(--ip-font); color: var(--ip-fg); background: var(--ip-bg); display: grid; gap: 12px; }
.impasto-panel button { font: inherit; padding: 6px 12px; border-radius: var(--ip-radius); border: 1px solid var(--ip-border);
  background: var(--ip-bg); color: var(--ip-fg); cursor: pointer; }
.impasto-panel button.primary { background: var(--ip-accent); color: var(--ip-accent-fg); border-color: var(--ip-accent); }
.impasto-panel button:disabled { opacity: .5; cursor: default; }
.impasto-panel fieldset { border: 1px solid var(--ip-border); border-radius: var(--ip-radius); padding: 8px; margin: 0; }
.impasto-panel legend { color: var(--ip-muted); padding: 0 4px; }
.impasto-panel label { display: grid; grid-template-columns: 9em 1fr auto; align-items: center; gap: 8px; margin: 4px 0; }
.ip-preview { display: grid; place-items: center; min-height: 120px; border: 1px dashed var(--ip-border); border-radius: var(--ip-radius); }
.ip-preview canvas { max-width: 100%; height: auto; image-rendering: auto; }
.ip-drop.dragging { outline: 2px solid var(--ip-accent); }
.ip-examples { display: flex; flex-wrap: wrap; gap: 6px; }
.ip-examples button { padding: 0; width: 56px; height: 56px; overflow: hidden; }
.ip-examples img { width: 100%; height: 100%; object-fit: cover; display: block; }
.ip-styles { display: grid; gap: 4px; margin-top: 6px; }
.ip-style-row { display: grid; grid-template-columns: 32px 1fr 7em auto auto; gap: 8px; align-items: center; }
.ip-mask { cursor: pointer; font-size: 0.85em; color: var(--ip-muted); white-space: nowrap; }
.ip-style-row img { width: 32px; height: 32px; object-fit: cover; border-radius: 4px; }
.ip-progress { width: 100%; }
.ip-status, .ip-backend { color: var(--ip-muted); min-height: 1.4em; }
.ip-message { min-height: 1.4em; }
.ip-message.error { color: var(--ip-error); }
.ip-actions { display: flex; gap: 8px; flex-wrap: wrap; }
`;

let injected = false;

/** Adds the panel's stylesheet once; `nonce` lets it pass a strict Content-Security-Policy (VS Code webviews). */
export function injectPanelCss(doc: Document = document, nonce?: string): void {
  if (injected) return;
  injected = true;
  const style = doc.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = PANEL_CSS;
  doc.head.prepend(style);
}
