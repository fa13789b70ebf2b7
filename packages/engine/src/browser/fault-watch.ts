/**
 * The engine worker's watch for failures inside a kernel that no caller would ever see as an error: lines a runtime
 * prints (an XNNPACK status, an emscripten abort) and wasm heaps that fail to grow. Each becomes a runtime fault
 * (runtime-faults.ts) the moment it happens. Installed by the worker entry before any runtime starts: emscripten
 * binds the console when a module is created.
 */
import { faultInLogLine } from '../compute-errors.js';
import { reportRuntimeFault } from '../runtime-faults.js';
import { trackWasmMemories } from './wasm-memory.js';

let watching = false;

export function watchRuntimeFaults(): void {
  if (watching) return;
  watching = true;
  for (const level of ['log', 'warn', 'error'] as const) {
    const print = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      print(...args);
      const fault = faultInLogLine(args.map(String).join(' '));
      if (fault) reportRuntimeFault(fault);
    };
  }
  trackWasmMemories((message) => reportRuntimeFault({ kind: 'memory', message }));
}
