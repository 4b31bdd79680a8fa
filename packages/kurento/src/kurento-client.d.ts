// The one ambient declaration of kurento-client (7.3 ships no types), built on the interfaces of ./types.
// Code in this repository loads the module through loadKurentoClient() rather than importing it; this is for
// an app or test that imports it directly, e.g. to hand its own copy to the SDK's pool as `factory`.
declare module 'kurento-client' {
  import type { KurentoClientFactory } from '@kurento-fleet/kurento';

  const kurentoClient: KurentoClientFactory;
  export = kurentoClient;
}
