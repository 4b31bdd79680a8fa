// A plain CommonJS app server: places a session, reads it back, releases it. Prints one JSON line.
const { FleetClient, FleetClientError, NotFoundError } = require('@kurento-fleet/client');

async function main() {
  const fleet = new FleetClient({ url: process.env.FLEET_URL, token: process.env.FLEET_TOKEN });
  const sessionId = process.env.SESSION_ID;
  const { assignment, created } = await fleet.assignSession(sessionId);
  const read = await fleet.getSession(sessionId);
  await fleet.releaseSession(sessionId);
  const afterRelease = await fleet.getSession(sessionId).catch((error) => error);
  return {
    created,
    nodeId: assignment.nodeId,
    readNodeId: read.nodeId,
    releasedIsNotFound: afterRelease instanceof NotFoundError && afterRelease instanceof FleetClientError,
    loadedKurentoClient: Object.keys(require.cache).some((path) => path.includes('kurento-client')),
  };
}

main().then(
  (result) => console.log(JSON.stringify(result)),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
