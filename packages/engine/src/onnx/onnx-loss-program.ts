/**
 * The Gatys loss and its image gradient on ONNX Runtime: the same LossProgram as the tfjs path, from hand-written
 * ONNX graphs built at load time from the layer table and the loaded weights. One builder, two runtimes: the
 * runtime comes in as an OrtModule (onnxruntime-node in Node, ort-node.ts; onnxruntime-web in browsers, ort-web.ts).
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import {
  deliverGradient,
  type Evaluation,
  type LossProgram,
  type LossProgramHooks,
  type LossSpec,
} from '../compute/loss-program.js';
import { maskAtLayer, styleRegions } from '../compute/style-regions.js';
import { type PathMemory, passTiling } from '../memory/memory-policy.js';
import { featureSize } from '../network/layers.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import { chooseTileSide } from '../tiling/budget.js';
import { createTiledLossProgram } from '../tiling/tiled-loss-program.js';
import { buildLossModel, LOSS_IO, type LossLayout } from './loss-graph.js';
import { createOnnxTileRunner } from './onnx-tile-runner.js';
import type { OrtModule } from './ort-runtime.js';
import { checkSpec } from './spec-check.js';
import { buildTargetsModel, TARGETS_IO } from './targets-graph.js';
import type { ConvAlgorithm } from './vgg-graph.js';

/** How one runtime runs the graphs: its session options, its memory, and its name in errors. */
export interface OrtPathConfig {
  /** E.g. 'ONNX' or 'ort-wasm'. */
  readonly label: string;
  readonly sessionOptions: InferenceSession.SessionOptions;
  readonly memory: PathMemory;
  /**
   * Whether tile sessions keep ONNX Runtime's memory arena. In Node yes: without it each run maps its activations
   * afresh and faults them in (2048 px in 512 px tiles: 33 s per evaluation without, 16 s with, peak RSS alike).
   * Each tile shape's sessions then hold a pass's peak, so the tiles are sized for all shapes together.
   * In a wasm heap no: nothing is faulted in again there, and the heap never shrinks, so a session's arena would be
   * memory no other session can reuse.
   */
  readonly tileArena: boolean;
  /** How the untiled loss graph computes 3x3 convs (vgg-graph.ts): Winograd where it is faster than Conv. */
  readonly conv: ConvAlgorithm;
  /**
   * How the tile graphs do. A run tiles because memory is short, and each tile size's sessions hold their own copies
   * of the kernels (F(4x4)'s are four times larger): the browser keeps tiles direct, Node uses Winograd on its wide
   * layers in the forward pass only (NODE_TILE_CONV, ort-node.ts).
   */
  readonly tileConv: ConvAlgorithm;
}

/** Loss programs that share ONNX Runtime sessions: one per (layers, pooling), built on first use. */
export interface OnnxLossProgramFactory {
  /**
   * A LossProgram for `spec` (synchronous, so it fits runStylization's LossProgramFactory). The spec is checked
   * here; the session and the targets are prepared in the background, and the first evaluate waits for them.
   * `hooks` reach a tiled program (tile reports, cancellation between tiles).
   */
  create(spec: LossSpec, hooks?: LossProgramHooks): LossProgram;
  /** Like create, but resolves once the session and targets are ready (errors surface here). */
  prepare(spec: LossSpec, hooks?: LossProgramHooks): Promise<LossProgram>;
  /** Releases every session; programs created from this factory stop working. */
  dispose(): Promise<void>;
}

type Feeds = Record<string, Tensor>;

/** What a targets session depends on: the layers and the pooling. */
function targetsKey(layout: LossLayout): string {
  return `targets|${layout.pooling}|${layout.contentLayers.join(',')}|${layout.styleLayers.join(',')}`;
}

/** What a loss session depends on: the same, the style regions (masked or not) and the image size. */
function lossKey(layout: LossLayout, width: number, height: number): string {
  const regions = layout.styleRegions.map((r) => (r.masked ? 'm' : 'a')).join('');
  return `loss|${layout.pooling}|${layout.contentLayers.join(',')}|${layout.styleLayers.join(',')}|${regions}|${width}x${height}`;
}

interface CachedSession {
  readonly session: Promise<InferenceSession>;
  users: number;
}

/**
 * P_l for the content image; per style region, the blended A_l/M = Σ_s (w_s / Σw) G_s/M_s and the region's mask at
 * each layer; as loss-graph feeds.
 */
async function targetFeeds(ort: OrtModule, session: InferenceSession, spec: LossSpec, layout: LossLayout) {
  const feeds: Feeds = {};
  const image = (data: Float32Array, width: number, height: number) =>
    new ort.Tensor('float32', data, [1, height, width, 3]);
  if (layout.contentLayers.length > 0) {
    const names = layout.contentLayers.map(TARGETS_IO.contentFeature);
    const { content } = spec;
    const out = await session.run({ [TARGETS_IO.image]: image(content.data, content.width, content.height) }, names);
    layout.contentLayers.forEach((layer, i) => {
      feeds[LOSS_IO.contentTarget(layer)] = out[names[i] as string] as Tensor;
    });
  }
  if (layout.styleLayers.length > 0) {
    const names = layout.styleLayers.map(TARGETS_IO.styleGram);
    for (const [r, region] of styleRegions(spec).entries()) {
      const blended = layout.styleLayers.map(() => null as Float64Array | null);
      for (const style of region.styles) {
        const { data, width, height } = style.image;
        const out = await session.run({ [TARGETS_IO.image]: image(data, width, height) }, names);
        names.forEach((name, i) => {
          const gram = (out[name] as Tensor).data as Float32Array;
          const acc = blended[i] ?? new Float64Array(gram.length);
          for (let k = 0; k < gram.length; k++) acc[k] = (acc[k] as number) + (gram[k] as number) * style.weight;
          blended[i] = acc;
        });
      }
      layout.styleLayers.forEach((layer, i) => {
        const acc = blended[i] as Float64Array;
        const n = Math.round(Math.sqrt(acc.length));
        feeds[LOSS_IO.styleTarget(layer, r)] = new ort.Tensor('float32', Float32Array.from(acc), [n, n]);
        if (!region.mask) return;
        const at = featureSize(layer, spec.height, spec.width);
        const mask = maskAtLayer(region.mask, spec.width, spec.height, layer);
        feeds[LOSS_IO.styleMask(layer, r)] = new ort.Tensor('float32', mask, [1, 1, at.height, at.width]);
      });
    }
  }
  return feeds;
}

/** The scalar weights of the terms: α, β·w_l (summed over repeats of a layer), tvWeight. */
function weightFeeds(ort: OrtModule, spec: LossSpec, layout: LossLayout): Feeds {
  const scalar = (v: number) => new ort.Tensor('float32', Float32Array.of(v), []);
  const feeds: Feeds = { [LOSS_IO.tvWeight]: scalar(spec.tvWeight) };
  if (layout.contentLayers.length > 0) feeds[LOSS_IO.contentWeight] = scalar(spec.contentWeight);
  for (const layer of layout.styleLayers) {
    const w = spec.styleLayers.reduce((a, l, i) => (l === layer ? a + (spec.styleLayerWeights[i] as number) : a), 0);
    feeds[LOSS_IO.styleWeight(layer)] = scalar(spec.styleWeight * w);
  }
  return feeds;
}

/**
 * The factory's sessions by key, built on first use; every acquire is matched by one release(key). A loss session no
 * program uses stays loaded (the next run at the same size reuses it) until another loss session is built: each
 * holds a copy of the weights and its own activation memory, so a coarse-to-fine run keeps one at a time.
 */
function createSessionCache(ort: OrtModule, sessionOptions: InferenceSession.SessionOptions) {
  const sessions = new Map<string, CachedSession>();
  const releaseSession = (key: string) => {
    const cached = sessions.get(key);
    sessions.delete(key);
    void cached?.session.then((s) => s.release()).catch(() => {});
  };
  const releaseIdleLoss = () => {
    for (const [key, c] of sessions) if (key.startsWith('loss') && c.users === 0) releaseSession(key);
  };
  return {
    /** Loss sessions no program uses go (a tiled stage runs sessions of its own: the last stage's would sit idle). */
    releaseIdleLoss,
    acquire(key: string, build: () => Uint8Array, arena: boolean): Promise<InferenceSession> {
      let cached = sessions.get(key);
      if (!cached) {
        if (key.startsWith('loss')) releaseIdleLoss();
        const opts = { ...sessionOptions, enableCpuMemArena: arena };
        const session = Promise.resolve().then(() => ort.InferenceSession.create(build(), opts));
        cached = { session, users: 0 };
        sessions.set(key, cached);
        session.catch(() => sessions.delete(key));
      }
      cached.users++;
      return cached.session;
    },
    /** One user less; `drop`: the session goes once no program uses it (else it stays for the next run). */
    release(key: string, { drop = false } = {}): void {
      const cached = sessions.get(key);
      if (!cached) return;
      cached.users--;
      if (drop && cached.users === 0) releaseSession(key);
    },
    async releaseAll(): Promise<void> {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((c) => c.session.then((s) => s.release()).catch(() => {})));
    },
  };
}

type SessionCache = ReturnType<typeof createSessionCache>;

/** The loss session's inputs that stay the same between evaluations: the targets (computed once) and the weights. */
async function fixedFeeds(
  ort: OrtModule,
  weights: Vgg19Weights,
  sessions: SessionCache,
  spec: LossSpec,
  layout: LossLayout,
): Promise<Feeds> {
  let targets: Feeds = {};
  if (layout.contentLayers.length + layout.styleLayers.length > 0) {
    const key = targetsKey(layout);
    const build = () => buildTargetsModel(weights, layout.contentLayers, layout.styleLayers, layout.pooling);
    // The targets graph runs once per stage (content, then each style): with ONNX Runtime's memory arena the style
    // pass reuses the content pass's memory (at 1024 px 3.2 s instead of 6.4 s), and the session, arena and all,
    // goes once the targets are computed, before the loss session's first run (its peak is not added to the run's).
    try {
      targets = await targetFeeds(ort, await sessions.acquire(key, build, true), spec, layout);
    } finally {
      sessions.release(key, { drop: true });
    }
  }
  return { ...targets, ...weightFeeds(ort, spec, layout) };
}

/** The untiled loss: one session for the whole image; its targets are computed in the background (`ready`). */
function untiledProgram(
  ort: OrtModule,
  weights: Vgg19Weights,
  sessions: SessionCache,
  spec: LossSpec,
  layout: LossLayout,
  factory: { readonly label: string; readonly conv: ConvAlgorithm; readonly disposed: () => boolean },
): { program: LossProgram; ready: Promise<unknown> } {
  const { width, height } = spec;
  const lossSessionKey = lossKey(layout, width, height);
  const lossSession = sessions.acquire(
    lossSessionKey,
    () => buildLossModel(weights, layout, { width, height }, factory.conv),
    true,
  );
  // One session built at a time: each build briefly holds its model's bytes (weights) on both sides.
  const ready = lossSession.then(async (session) => ({
    session,
    feeds: await fixedFeeds(ort, weights, sessions, spec, layout),
  }));
  ready.catch(() => {}); // reported by evaluate / prepare
  let closed = false;
  const program: LossProgram = {
    async evaluate(x: Float32Array, gradientInto?: Float32Array): Promise<Evaluation> {
      if (closed || factory.disposed()) throw new Error(`this ${factory.label} loss program was disposed`);
      if (x.length !== width * height * 3) {
        throw new Error(`image has ${x.length} values, expected ${width}x${height}x3 = ${width * height * 3}`);
      }
      const { session: s, feeds } = await ready;
      const out = await s.run({ ...feeds, [LOSS_IO.image]: new ort.Tensor('float32', x, [1, height, width, 3]) });
      const scalar = (name: string) => ((out[name] as Tensor).data as Float32Array)[0] as number;
      const [c, st, tv] = [scalar(LOSS_IO.contentTerm), scalar(LOSS_IO.styleTerm), scalar(LOSS_IO.tvTerm)];
      const gradient = deliverGradient((out[LOSS_IO.gradient] as Tensor).data as Float32Array, gradientInto);
      return { terms: { total: c + st + tv, content: c, style: st, tv }, gradient };
    },
    dispose() {
      if (closed) return;
      closed = true;
      if (!factory.disposed()) sessions.release(lossSessionKey);
    },
  };
  return { program, ready };
}

/** A factory of loss programs for one set of weights on the runtime `ort`. */
export function createOrtLossProgramFactory(
  ort: OrtModule,
  weights: Vgg19Weights,
  config: OrtPathConfig,
): OnnxLossProgramFactory {
  const { sessionOptions, label } = config;
  const sessions = createSessionCache(ort, sessionOptions);
  let disposed = false;
  const factory = { label, conv: config.conv, disposed: () => disposed };

  const start = (spec: LossSpec, hooks?: LossProgramHooks) => {
    if (disposed) throw new Error(`this ${label} loss program factory was disposed`);
    const layout = checkSpec(spec, weights);
    const layers = [...layout.contentLayers, ...layout.styleLayers];
    const tileSide = chooseTileSide(spec.width, spec.height, layers, {
      ...passTiling(config.memory, spec, layers),
      passPerShape: config.tileArena,
      tileSize: spec.tileSize,
    });
    if (tileSide === null) return untiledProgram(ort, weights, sessions, spec, layout, factory);
    sessions.releaseIdleLoss();
    const runner = createOnnxTileRunner(
      ort,
      weights,
      layout,
      {
        ...sessionOptions,
        enableCpuMemArena: config.tileArena,
      },
      config.tileConv,
    );
    const program = createTiledLossProgram(spec, layout, runner, tileSide, hooks);
    program.ready.catch(() => {}); // reported by evaluate / prepare
    return { program, ready: program.ready };
  };

  return {
    create: (spec, hooks) => start(spec, hooks).program,
    async prepare(spec, hooks) {
      const { program, ready } = start(spec, hooks);
      await ready;
      return program;
    },
    async dispose() {
      disposed = true;
      await sessions.releaseAll();
    },
  };
}
