// The Kurento protocol's conformance cases, written once, run against the emulator
// (src/conformance/conformance.test.ts) and the gateway process in front of a fleet (test/gateway.protocol.test.ts).
import { objectCases } from './objects';
import { serverManagerCases } from './server-manager';
import { sessionCases } from './sessions';
import type { ConformanceTarget } from './target';
import { transactionCases } from './transaction';
import { transportCases } from './transport';

export type { ConformanceTarget } from './target';

/**
 * Registers every shared conformance case (1–20 and the frame bound) in the calling `describe`, each one run
 * against `target()`, read when the case starts (so that a target made in beforeAll or beforeEach serves).
 */
export function conformanceCases(target: () => ConformanceTarget): void {
  transportCases(target);
  sessionCases(target);
  serverManagerCases(target);
  objectCases(target);
  transactionCases(target);
}
