export { chromiumPath, chromiumSkipReason, type GpuMode, launchChromium } from './chromium.js';
export { msUntilStatus, recordStatuses } from './page-status.js';
export { CROSS_ORIGIN_ISOLATION, type StaticServer, serveStatic } from './static-server.js';
