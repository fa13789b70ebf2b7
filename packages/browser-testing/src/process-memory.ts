/**
 * Peak resident memory of one Chromium's processes, by process type, sampled from /proc (Linux) while something
 * runs: what a measurement of a page's memory needs (the renderer holds the page, its workers and their wasm heaps;
 * the GPU process holds WebGL/WebGPU memory, in RAM when the GPU is SwiftShader).
 */
import { readdirSync, readFileSync } from 'node:fs';

export type ChromiumProcessType = 'browser' | 'renderer' | 'gpu' | 'other';

/** Bytes: the largest RSS any one process of each type reached while watched. */
export type ChromiumMemoryPeaks = Record<ChromiumProcessType, number>;

interface ProcessInfo {
  readonly pid: number;
  readonly parent: number;
  readonly cmdline: string;
}

const PAGE_BYTES = 4096;

function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return { pid, parent: Number(fields[1]), cmdline };
  } catch {
    return null; // it ended meanwhile
  }
}

function residentBytes(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
  } catch {
    return 0;
  }
}

/** A process's type from its command line (Chromium passes --type= to every child). */
export function processType(cmdline: string): ChromiumProcessType {
  const type = /--type=([\w-]+)/.exec(cmdline)?.[1];
  if (type === undefined) return 'browser';
  if (type === 'renderer') return 'renderer';
  if (type === 'gpu-process') return 'gpu';
  return 'other';
}

/** The Chromium started with `--user-data-dir=<userDataDir>` and every process below it. */
function chromiumProcesses(userDataDir: string): { pid: number; type: ChromiumProcessType }[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== null);
  const root = all.find((p) => p.cmdline.includes(`--user-data-dir=${userDataDir}`) && !p.cmdline.includes('--type='));
  if (!root) return [];
  const children = new Map<number, ProcessInfo[]>();
  for (const p of all) children.set(p.parent, [...(children.get(p.parent) ?? []), p]);
  const found: { pid: number; type: ChromiumProcessType }[] = [];
  const visit = (p: ProcessInfo) => {
    found.push({ pid: p.pid, type: processType(p.cmdline) });
    for (const child of children.get(p.pid) ?? []) visit(child);
  };
  visit(root);
  return found;
}

/** Samples the Chromium's processes every `intervalMs` until stopped; `peaks()` reads the peaks so far. */
export function watchChromiumMemory(
  userDataDir: string,
  intervalMs = 100,
): { peaks(): ChromiumMemoryPeaks; stop(): ChromiumMemoryPeaks } {
  const peaks: ChromiumMemoryPeaks = { browser: 0, renderer: 0, gpu: 0, other: 0 };
  const sample = () => {
    for (const { pid, type } of chromiumProcesses(userDataDir)) {
      peaks[type] = Math.max(peaks[type], residentBytes(pid));
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    peaks: () => ({ ...peaks }),
    stop() {
      clearInterval(timer);
      sample();
      return { ...peaks };
    },
  };
}
