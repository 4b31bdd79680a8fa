// A kurento-fleet webhook receiver in plain Node: it checks every delivery's signature, handles each event once
// and in order, and rebuilds the rooms of a node that went down. Run it with the secret `POST /v1/webhooks`
// (or `kurento-fleet webhooks add URL`) printed:
//   FLEET_WEBHOOK_SECRET=whsec_… PORT=3000 node webhook-receiver.mjs
import { createServer } from 'node:http';
import { verifyWebhookSignature } from '@kurento-fleet/client';

const secret = process.env.FLEET_WEBHOOK_SECRET;
if (!secret) throw new Error('set FLEET_WEBHOOK_SECRET to the secret the webhook was created with');

// Delivery is at least once and in order: a repeat is always an id already handled. Keep this number where
// your app keeps its state, so that a restart of the receiver does not handle an event twice either.
let lastHandled = 0;

function handle(event) {
  if (event.type === 'node.down') {
    // The sessions that were on the node: place them again now (POST /v1/sessions moves them).
    for (const sessionId of event.data.sessions) console.log(JSON.stringify({ rebuild: sessionId }));
  }
  console.log(JSON.stringify({ handled: event.id, type: event.type }));
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    // The signature covers the raw bytes: verify them before parsing anything.
    const body = Buffer.concat(chunks);
    if (!(await verifyWebhookSignature(secret, request.headers, body, { toleranceSeconds: 300 }))) {
      response.writeHead(401).end('bad signature');
      return;
    }
    const event = JSON.parse(body.toString('utf8'));
    if (Number(event.id) > lastHandled) {
      handle(event);
      lastHandled = Number(event.id);
    }
    // Any 2xx within 10 s counts as delivered; anything else is retried, and holds back the later events.
    response.writeHead(204).end();
  });
});
server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () =>
  console.log(JSON.stringify({ listening: server.address().port })),
);
