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
.impasto-panel fieldset { border: 1px solid var(--ip-border); border-radius: var(--ip-radius); padding: 8px; margin: 0; min-width: 0; }
.impasto-panel legend { color: var(--ip-muted); padding: 0 4px; }
.impasto-panel { min-width: 0; max-width: 100%; overflow-wrap: anywhere; }
.impasto-panel > *, .impasto-panel label > * { min-width: 0; }
.impasto-panel label { display: grid; grid-template-columns: minmax(0, 9em) minmax(0, 1fr) auto; align-items: center; gap: 8px; margin: 4px 0; }
.impasto-panel label:has(> input[type=checkbox]) { display: flex; }
.impasto-panel .ip-style-row label { display: inline-block; margin: 0; }
.impasto-panel input[type=file], .impasto-panel select, .impasto-panel input[type=number] { max-width: 100%; min-width: 0; }
.ip-preview { display: grid; place-items: center; min-height: 120px; border: 1px dashed var(--ip-border); border-radius: var(--ip-radius); }
.ip-preview canvas { max-width: 100%; height: auto; image-rendering: auto; }
.ip-drop.dragging { outline: 2px solid var(--ip-accent); }
.ip-examples { display: flex; flex-wrap: wrap; gap: 6px; }
.ip-examples button { padding: 0 0 2px; width: 64px; overflow: hidden; display: grid; gap: 2px; }
.ip-examples button::after { content: attr(title); font-size: 11px; color: var(--ip-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding: 0 2px; }
.ip-examples img { width: 100%; height: 56px; object-fit: cover; display: block; }
.ip-styles { display: grid; grid-template-columns: minmax(0, 1fr); gap: 4px; margin-top: 6px; }
.ip-style-row { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; min-width: 0; }
.ip-style-row > span { flex: 1 1 5em; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ip-style-row > input[type=range] { flex: 1 1 5em; min-width: 4em; max-width: 12em; }
.impasto-panel .ip-style-row > button { padding: 2px 8px; }
.ip-mask { cursor: pointer; font-size: 0.85em; color: var(--ip-muted); white-space: nowrap; max-width: 14em; overflow: hidden; text-overflow: ellipsis; }
.ip-style-row img { width: 32px; height: 32px; flex: none; object-fit: cover; border-radius: 4px; }
.ip-progress { width: 100%; }
.ip-status, .ip-backend { color: var(--ip-muted); min-height: 1.4em; }
.impasto-panel.ip-busy .ip-status::before { content: ""; display: inline-block; width: .8em; height: .8em; margin-right: .4em;
  border: 2px solid currentColor; border-right-color: transparent; border-radius: 50%; vertical-align: -0.1em; animation: ip-spin 1s linear infinite; }
@keyframes ip-spin { to { transform: rotate(360deg); } }
.ip-message { min-height: 1.4em; }
.ip-message.error { color: var(--ip-error); }
.ip-actions { display: flex; gap: 8px; flex-wrap: wrap; }
/* Every control at least 24×24 px (WCAG 2.2 target size), fingers included. */
.impasto-panel input[type=checkbox] { width: 24px; height: 24px; margin: 0; flex: none; accent-color: var(--ip-accent); }
.impasto-panel input[type=range] { height: 24px; margin: 0; accent-color: var(--ip-accent); }
.impasto-panel select, .impasto-panel input[type=number], .impasto-panel input[type=file] { min-height: 28px; box-sizing: border-box; }
.impasto-panel summary { min-height: 24px; line-height: 24px; cursor: pointer; }
.impasto-panel button { min-width: 24px; min-height: 24px; }
.impasto-panel .ip-mask { display: inline-flex; align-items: center; min-height: 24px; }
/* On a narrow screen the picture stays in view during a run: it sticks to the top while the controls scroll. */
@media (max-width: 640px) {
  .impasto-panel.ip-running .ip-preview { position: sticky; top: 0; z-index: 1; max-height: 40vh; min-height: 0;
    background: var(--ip-bg); box-shadow: 0 4px 12px rgb(0 0 0 / .25); }
  .impasto-panel.ip-running .ip-preview.ip-drop canvas { max-height: calc(40vh - 34px); width: auto; max-width: 100%; object-fit: contain; }
}
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
