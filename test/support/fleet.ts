import type { Assignment, CreatedNode } from '@kurento-fleet/contract';
import type { ControlPlane } from './control-plane';

/** Registers nodes with the given weights (in order) and sends one heartbeat for each; returns agent tokens. */
export async function addUpNodes(
  cp: ControlPlane,
  weights: Record<string, number>,
): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const [id, weight] of Object.entries(weights)) {
    const { status, body } = await cp.request<CreatedNode>('POST', '/v1/nodes', {
      id,
      uri: `ws://127.0.0.1:9/${id}`,
      weight,
    });
    if (status !== 201) throw new Error(`adding ${id}: ${status} ${JSON.stringify(body)}`);
    tokens[id] = body.agentToken;
  }
  for (const [id, token] of Object.entries(tokens)) {
    const { status } = await cp.request('POST', `/v1/nodes/${id}/heartbeat`, { connected: true }, token);
    if (status !== 200) throw new Error(`heartbeat of ${id}: ${status}`);
  }
  return tokens;
}

/** Places new sessions one after another and returns their nodes. */
export async function placeInOrder(cp: ControlPlane, ids: string[]): Promise<string[]> {
  const nodes: string[] = [];
  for (const sessionId of ids) {
    const { status, body } = await cp.request<Assignment>('POST', '/v1/sessions', { sessionId });
    if (status !== 201) throw new Error(`placing ${sessionId}: ${status} ${JSON.stringify(body)}`);
    nodes.push(body.nodeId);
  }
  return nodes;
}
