// Test kit for tests against any KMS endpoint (an emulator, or the gateway in front of a fleet): the shared
// Kurento conformance cases; the tutorials' application on the real npm kurento-client, and the Chromium page
// that calls it.
export { type ConformanceTarget, conformanceCases } from '../conformance/cases';
export { createPipeline, expectKurentoError, openSession, resultOf } from '../conformance/helpers';
export { type CallPage, openCallPage, type PageState, type Scenario } from './call-page';
export { startTutorialApp, type TutorialApp } from './tutorial-app';
export type { Call, ObservedEvent } from './tutorial-calls';
