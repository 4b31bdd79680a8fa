// CommonJS: the ./kurento entry with the kurento-client the app installed, loaded by the SDK itself.
const { FleetClient, FleetClientError } = require('@kurento-fleet/client');
const {
  closeKurentoClients,
  KurentoConnectError,
  kurentoCall,
  kurentoForSession,
} = require('@kurento-fleet/client/kurento');

async function main() {
  const fleet = new FleetClient({ url: process.env.FLEET_URL, token: process.env.FLEET_TOKEN });
  const sessionId = process.env.SESSION_ID;
  const { client, assignment } = await kurentoForSession(fleet, sessionId, { connectTimeoutMs: 5000 });
  const manager = await kurentoCall((cb) => client.getServerManager(cb));
  const info = await kurentoCall((cb) => manager.getInfo(cb));
  const pipeline = await kurentoCall((cb) => client.create('MediaPipeline', cb));
  await kurentoCall((cb) => pipeline.addTag('fleetSessionId', sessionId, cb));
  const tag = await kurentoCall((cb) => pipeline.getTag('fleetSessionId', cb));
  await kurentoCall((cb) => pipeline.release(cb));
  await fleet.releaseSession(sessionId);
  closeKurentoClients();
  return {
    nodeId: assignment.nodeId,
    kmsVersion: info.version,
    tag,
    // One class hierarchy across the two entries, in CommonJS too.
    sharedErrorClass: new KurentoConnectError('ws://nowhere', 'test') instanceof FleetClientError,
  };
}

main().then(
  (result) => {
    console.log(JSON.stringify(result));
    // kurento-client keeps request timers alive for up to 20 s after the last call.
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
