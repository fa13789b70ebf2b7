/**
 * The messages between the plugin's sandbox (src/main.ts, Figma's document) and its UI iframe (src/ui/, the engine).
 * Both sides import this file; nothing else crosses the boundary. Bytes travel as Uint8Array (structured clone).
 *
 * Figma wraps them: the UI posts `{ pluginMessage: ToSandbox }` to its parent, and receives
 * `{ pluginMessage: ToUi }` in its message events. `figma.ui.onmessage` gets the bare ToSandbox.
 */

/** A layer as the UI sees it: enough to label it and to ask for it again by id. */
export interface NodeSummary {
  readonly id: string;
  readonly name: string;
  /** Figma's node type, e.g. FRAME. */
  readonly type: string;
  readonly width: number;
  readonly height: number;
}

/** What the current selection offers: nothing, something the plugin refuses (and why), or a content layer. */
export type SelectionState =
  | { readonly kind: 'empty'; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }
  /** `style` is the other selected layer when exactly two are selected. */
  | { readonly kind: 'ready'; readonly content: NodeSummary; readonly style: NodeSummary | null };

/** Settings as plain JSON: the sandbox stores them without interpreting them; the UI sanitises what it gets back. */
export type JsonObject = { readonly [key: string]: unknown };

export type ExportRole = 'content' | 'style';

/** Sandbox → UI. */
export type ToUi =
  /**
   * The answer to `ready`: stored settings and weights URL (null when none or unreadable; the build's default then).
   * A `selection` message follows.
   */
  | { readonly type: 'init'; readonly settings: JsonObject | null; readonly weightsUrl: string | null }
  | { readonly type: 'selection'; readonly selection: SelectionState }
  /** The layer `nodeId` as PNG, its long side within the requested size. */
  | {
      readonly type: 'exported';
      readonly requestId: number;
      readonly role: ExportRole;
      readonly node: NodeSummary;
      readonly png: Uint8Array;
      readonly width: number;
      readonly height: number;
    }
  /** The result was placed: a new rectangle `nodeId` named `name`, now selected. */
  | { readonly type: 'placed'; readonly requestId: number; readonly nodeId: string; readonly name: string }
  /** A request failed; the sandbox has already shown `message` with figma.notify and left the document as it was. */
  | { readonly type: 'failed'; readonly requestId: number; readonly message: string };

/** UI → sandbox. */
export type ToSandbox =
  /** The UI has loaded and listens. */
  | { readonly type: 'ready' }
  /** Export layer `nodeId` as PNG with its long side at most `size` px. */
  | {
      readonly type: 'export';
      readonly requestId: number;
      readonly nodeId: string;
      readonly role: ExportRole;
      readonly size: number;
    }
  /** Place `png` (the stylized `originalId`) beside the original. */
  | { readonly type: 'place'; readonly requestId: number; readonly originalId: string; readonly png: Uint8Array }
  | { readonly type: 'save-settings'; readonly settings: JsonObject }
  /** Keep the weights URL the user set ('' = back to the build's default). */
  | { readonly type: 'save-weights-url'; readonly url: string }
  /** Show a message in Figma (e.g. the GPU failed). */
  | { readonly type: 'notify'; readonly message: string; readonly error: boolean };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The sandbox checks what the iframe sends before acting on it; the reason names what is wrong. */
export function checkToSandbox(message: unknown): { ok: true; message: ToSandbox } | { ok: false; reason: string } {
  if (!isObject(message) || typeof message.type !== 'string') return { ok: false, reason: 'not a plugin message' };
  const m = message;
  const valid = (() => {
    switch (m.type) {
      case 'ready':
        return true;
      case 'export':
        return (
          isId(m.requestId) &&
          isText(m.nodeId) &&
          (m.role === 'content' || m.role === 'style') &&
          typeof m.size === 'number' &&
          Number.isFinite(m.size) &&
          m.size >= 1
        );
      case 'place':
        return isId(m.requestId) && isText(m.originalId) && m.png instanceof Uint8Array;
      case 'save-settings':
        return isObject(m.settings);
      case 'save-weights-url':
        return typeof m.url === 'string' && m.url.length <= 2048;
      case 'notify':
        return isText(m.message) && typeof m.error === 'boolean';
      default:
        return null;
    }
  })();
  if (valid === null) return { ok: false, reason: `unknown message type ${JSON.stringify(m.type)}` };
  if (!valid) return { ok: false, reason: `malformed ${m.type} message` };
  return { ok: true, message: m as unknown as ToSandbox };
}

/** The UI ignores window messages that are not a sandbox message (extensions and devtools post their own). */
export function unwrapToUi(data: unknown): ToUi | null {
  if (!isObject(data) || !isObject(data.pluginMessage)) return null;
  const m = data.pluginMessage;
  const known = ['init', 'selection', 'exported', 'placed', 'failed'];
  return typeof m.type === 'string' && known.includes(m.type) ? (m as unknown as ToUi) : null;
}
