import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser): $CHROMIUM_PATH, else /usr/bin/chromium. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

/** Why browser tests must skip here, or undefined when Chromium is available. */
export function chromiumSkipReason(): string | undefined {
  return chromiumPath() ? undefined : 'no Chromium (install Debian chromium or set CHROMIUM_PATH)';
}

export type GpuMode = 'webgpu' | 'webgl';

const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Flags per graphics mode: WebGPU and WebGL both run on SwiftShader here (correct, slow). */
function gpuFlags(mode: GpuMode): string[] {
  return mode === 'webgpu' ? ['--enable-unsafe-webgpu'] : ['--disable-gpu'];
}

/** A fresh persistent context (own --user-data-dir, removed on close; `watchChromiumMemory` finds it by that dir). */
export async function launchChromium(
  mode: GpuMode = 'webgl',
): Promise<{ context: BrowserContext; userDataDir: string; close(): Promise<void> }> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(chromiumSkipReason());
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'impasto-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...BASE_FLAGS, ...gpuFlags(mode)],
    acceptDownloads: true,
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
