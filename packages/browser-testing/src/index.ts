export { chromiumPath, chromiumSkipReason, type GpuMode, launchChromium } from './chromium.js';
export { msUntilStatus, recordStatuses } from './page-status.js';
export {
  type ChromiumMemoryPeaks,
  type ChromiumProcessType,
  processType,
  watchChromiumMemory,
} from './process-memory.js';
export { CROSS_ORIGIN_ISOLATION, type StaticServer, serveStatic } from './static-server.js';
export { MIN_TARGET_PX, smallTargets } from './target-size.js';
