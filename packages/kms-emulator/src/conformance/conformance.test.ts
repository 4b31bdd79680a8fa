import { describe } from 'vitest';
import { conformanceCases } from './cases';
import { useEmulatorTarget } from './helpers';

// The shared cases (1–20, the frame bound) against the emulator; the npm-client cases 21–24 are in their own
// files. test/gateway.protocol.test.ts runs the same cases against the gateway.
describe('conformance: the emulator', () => {
  conformanceCases(useEmulatorTarget());
});
