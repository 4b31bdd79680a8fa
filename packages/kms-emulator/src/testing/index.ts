// Test kit for browser-level tests against any KMS endpoint (an emulator, or the gateway in front of a fleet):
// the tutorials' application on the real npm kurento-client, and the Chromium page that calls it.
export { type CallPage, openCallPage, type PageState, type Scenario } from './call-page';
export { startTutorialApp, type TutorialApp } from './tutorial-app';
export type { Call, ObservedEvent } from './tutorial-calls';
