// ES module: the ./kurento entry with the app's own kurento-client passed as the pool's factory.
import { FleetClient } from '@kurento-fleet/client';
import { KurentoPool, kurentoCall } from '@kurento-fleet/client/kurento';
import kurento from 'kurento-client';

const fleet = new FleetClient({ url: process.env.FLEET_URL, token: process.env.FLEET_TOKEN });
const sessionId = process.env.SESSION_ID;
const pool = new KurentoPool({ factory: kurento, connectTimeoutMs: 5000 });
try {
  const { client, assignment, created } = await pool.forSession(fleet, sessionId);
  const pipeline = await kurentoCall((cb) => client.create('MediaPipeline', cb));
  await kurentoCall((cb) => pipeline.addTag('fleetSessionId', sessionId, cb));
  const tags = await kurentoCall((cb) => pipeline.getTags(cb));
  await kurentoCall((cb) => pipeline.release(cb));
  await fleet.releaseSession(sessionId);
  console.log(JSON.stringify({ nodeId: assignment.nodeId, created, tags }));
  pool.close();
  // kurento-client keeps request timers alive for up to 20 s after the last call.
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
