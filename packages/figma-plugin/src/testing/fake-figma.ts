/**
 * A small fake of Figma's `figma` global for the sandbox tests, typed against @figma/plugin-typings through
 * SandboxFigma: layers that export real PNGs (sharp) at the requested scale, a page that holds created rectangles,
 * images, notifications, client storage, the UI channel, and switches that make each Figma call fail.
 */
import type {
  ExportSettings,
  NotificationOptions,
  Paint,
  Rect,
  ShowUIOptions,
} from '@figma/plugin-typings/plugin-api-standalone';
import { PLUGIN_CHANNEL, PLUGIN_PROTOCOL_VERSION } from '../protocol.js';
import type { LayerNode, ResultRectangle, SandboxFigma } from '../sandbox/figma-api.js';
import { solidPng } from './png-fixtures.js';

let lastId = 0;

export type SentToUi = { readonly [field: string]: unknown };

const stamp = { channel: PLUGIN_CHANNEL, version: PLUGIN_PROTOCOL_VERSION };

/** A flat message as the channel's envelope: a request where it has a requestId, else an event. */
function envelopeOf(message: unknown): unknown {
  if (typeof message !== 'object' || message === null || !('type' in message) || 'channel' in message) return message;
  const { type, requestId, ...fields } = message as { type: unknown; requestId?: unknown };
  const payload = Object.keys(fields).length > 0 ? fields : undefined;
  return requestId === undefined
    ? { ...stamp, kind: 'event', type, payload }
    : { ...stamp, kind: 'request', id: requestId, type, payload };
}

/** An envelope the sandbox sent, flat (see FakeFigma.toUi); undefined for its hello. */
function readBack(envelope: unknown): SentToUi | undefined {
  const e = envelope as { kind: string; type?: string; id?: number; ok?: boolean; [field: string]: unknown };
  const payload = e.payload as Record<string, unknown>;
  if (e.kind === 'event')
    return e.type === 'selection' ? { type: e.type, selection: payload } : { type: e.type, ...payload };
  if (e.kind === 'reply')
    return e.ok ? { reply: e.id, ...payload } : { failed: e.id, message: (e.error as { message: string }).message };
  if (e.kind === 'rejected') return { rejected: e.reason, ...(e.id === undefined ? {} : { id: e.id }) };
  return undefined;
}

/** How Figma sizes a PNG export: each side times the scale, rounded. */
const exportedSide = (side: number, scale: number) => Math.max(1, Math.round(side * scale));

export class FakeLayer implements LayerNode {
  readonly id = `1:${++lastId}`;
  visible = true;
  removed = false;
  readonly exportCalls: ExportSettings[] = [];
  /** Set to make exportAsync reject, as Figma does for a layer it cannot render. */
  exportError: Error | null = null;

  constructor(
    public name: string,
    public type: LayerNode['type'],
    public x: number,
    public y: number,
    public width: number,
    public height: number,
  ) {}

  get absoluteBoundingBox(): Rect | null {
    return this.removed ? null : { x: this.x, y: this.y, width: this.width, height: this.height };
  }

  exportAsync = (async (settings?: ExportSettings) => {
    if (this.removed) throw new Error('The node with id does not exist');
    this.exportCalls.push(settings ?? { format: 'PNG' });
    if (this.exportError) throw this.exportError;
    const constraint = settings && 'constraint' in settings ? settings.constraint : undefined;
    const scale = constraint?.type === 'SCALE' ? constraint.value : 1;
    return solidPng(exportedSide(this.width, scale), exportedSide(this.height, scale));
  }) as LayerNode['exportAsync'];
}

/** Which Figma call throws next (each is a one-off). */
export interface Failures {
  createImage?: Error;
  resize?: Error;
  fills?: Error;
  scroll?: Error;
  storageGet?: Error;
  storageSet?: Error;
}

export class FakeRectangle extends FakeLayer implements ResultRectangle {
  private paints: readonly Paint[] = [];
  declare type: 'RECTANGLE';

  constructor(
    private readonly figma: FakeFigma,
    private readonly page: FakeLayer[],
  ) {
    super('Rectangle', 'RECTANGLE', 0, 0, 100, 100);
  }

  get fills(): readonly Paint[] {
    return this.paints;
  }

  set fills(paints: readonly Paint[]) {
    this.figma.throwIfFailing('fills');
    for (const p of paints) {
      if (p.type === 'IMAGE' && (!p.imageHash || !this.figma.images.has(p.imageHash))) {
        throw new Error('Invalid image hash');
      }
    }
    this.paints = paints;
  }

  resize(width: number, height: number): void {
    this.figma.throwIfFailing('resize');
    if (!(width >= 0.01 && height >= 0.01)) throw new Error('Width and height must be >= 0.01');
    this.width = width;
    this.height = height;
  }

  remove(): void {
    this.removed = true;
    const i = this.page.indexOf(this);
    if (i >= 0) this.page.splice(i, 1);
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

export class FakeFigma implements SandboxFigma<FakeLayer, FakeRectangle> {
  /** Layers on the page, in the order they were added (created rectangles included). */
  readonly layers: FakeLayer[] = [];
  readonly currentPage: { selection: readonly FakeLayer[] } = { selection: [] };
  readonly images = new Map<string, Uint8Array>();
  readonly notifications: { message: string; error: boolean }[] = [];
  /**
   * What the sandbox sent, read back flat: events as { type, ...payload } (a selection as { type, selection }),
   * replies as { reply: id, ...payload }, failures as { failed: id, message }, refusals as { rejected: reason }.
   */
  readonly toUi: SentToUi[] = [];
  readonly storage = new Map<string, unknown>();
  readonly scrolledTo: FakeLayer[][] = [];
  shownUi: { html: string; options: ShowUIOptions | undefined } | null = null;
  failures: Failures = {};
  private selectionListeners: (() => void)[] = [];

  throwIfFailing(call: keyof Failures): void {
    const error = this.failures[call];
    if (error) {
      delete this.failures[call];
      throw error;
    }
  }

  add(name: string, type: LayerNode['type'], box: { x: number; y: number; width: number; height: number }) {
    const layer = new FakeLayer(name, type, box.x, box.y, box.width, box.height);
    this.layers.push(layer);
    return layer;
  }

  /** Selects layers as a person would, firing selectionchange. */
  select(...layers: FakeLayer[]): void {
    this.currentPage.selection = layers;
    for (const listener of this.selectionListeners) listener();
  }

  /** Deletes a layer from the document, as a collaborator might while the plugin runs. */
  deleteLayer(layer: FakeLayer): void {
    layer.removed = true;
    this.layers.splice(this.layers.indexOf(layer), 1);
    this.currentPage.selection = this.currentPage.selection.filter((l) => l !== layer);
  }

  /**
   * A message from the UI, written flat ({ type, ...payload }, with `requestId` for a request), or any other data
   * as it is; resolves when the sandbox has handled it.
   */
  async send(message: unknown): Promise<void> {
    if (!this.ui.onmessage) throw new Error('the sandbox set no figma.ui.onmessage');
    await this.ui.onmessage(envelopeOf(message), { origin: 'null' });
  }

  /** The document as plain data, to compare before and after a failed request. */
  snapshot(): unknown {
    return {
      layers: this.layers.map((l) => ({
        id: l.id,
        name: l.name,
        type: l.type,
        box: [l.x, l.y, l.width, l.height],
        fills: l instanceof FakeRectangle ? l.fills : null,
      })),
      selection: this.currentPage.selection.map((l) => l.id),
    };
  }

  errors(): string[] {
    return this.notifications.filter((n) => n.error).map((n) => n.message);
  }

  // --- the SandboxFigma surface ---

  async getNodeByIdAsync(id: string): Promise<FakeLayer | null> {
    return this.layers.find((l) => l.id === id && !l.removed) ?? null;
  }

  createImage(data: Uint8Array) {
    this.throwIfFailing('createImage');
    if (PNG_SIGNATURE.some((b, i) => data[i] !== b)) throw new Error('Image type is unsupported');
    const hash = `hash-${this.images.size + 1}`;
    this.images.set(hash, data);
    return { hash };
  }

  createRectangle(): FakeRectangle {
    const rect = new FakeRectangle(this, this.layers);
    this.layers.push(rect);
    return rect;
  }

  notify(message: string, options?: NotificationOptions) {
    this.notifications.push({ message, error: options?.error ?? false });
    return { cancel() {} };
  }

  readonly clientStorage = {
    getAsync: async (key: string): Promise<unknown> => {
      this.throwIfFailing('storageGet');
      return structuredClone(this.storage.get(key));
    },
    setAsync: async (key: string, value: unknown): Promise<void> => {
      this.throwIfFailing('storageSet');
      this.storage.set(key, structuredClone(value));
    },
  };

  readonly viewport = {
    scrollAndZoomIntoView: (nodes: readonly FakeRectangle[]) => {
      this.throwIfFailing('scroll');
      this.scrolledTo.push([...nodes]);
    },
  };

  showUI(html: string, options?: ShowUIOptions): void {
    this.shownUi = { html, options };
  }

  readonly ui: SandboxFigma['ui'] = {
    postMessage: (message: unknown) => {
      const read = readBack(structuredClone(message));
      if (read) this.toUi.push(read);
    },
    onmessage: undefined,
  };

  on(_type: 'selectionchange', callback: () => void): void {
    this.selectionListeners.push(callback);
  }
}
