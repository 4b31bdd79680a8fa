// A plain ES-module app server: places a session, reads it back, releases it. Prints one JSON line.
import { FleetClient, FleetClientError, NotFoundError } from '@kurento-fleet/client';

const fleet = new FleetClient({ url: process.env.FLEET_URL, token: process.env.FLEET_TOKEN });
const sessionId = process.env.SESSION_ID;
const { assignment, created } = await fleet.assignSession(sessionId);
const read = await fleet.getSession(sessionId);
await fleet.releaseSession(sessionId);
const afterRelease = await fleet.getSession(sessionId).catch((error) => error);
console.log(
  JSON.stringify({
    created,
    nodeId: assignment.nodeId,
    readNodeId: read.nodeId,
    releasedIsNotFound: afterRelease instanceof NotFoundError && afterRelease instanceof FleetClientError,
  }),
);
