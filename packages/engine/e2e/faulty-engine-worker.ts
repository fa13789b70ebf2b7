// The engine worker with a failure forced (force-faults.ts), for the supervision test.
import './force-faults.js';
import '../src/browser/engine-worker.js';
