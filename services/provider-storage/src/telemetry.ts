// Loaded first by main.ts: instrumentation must patch modules before they are required.
import { startTelemetry } from '@carechain/platform';

startTelemetry('provider-storage');
