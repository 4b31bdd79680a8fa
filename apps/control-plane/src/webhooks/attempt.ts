import { describeFetchError } from '@kurento-fleet/client/fetch-error';
import { signWebhook, webhookHeaders } from '@kurento-fleet/client/webhook-signature';
import { type AttemptOutcome, type EventRow, toEventView } from '@kurento-fleet/db';

/** How much of a refusal's body goes into the delivery log: enough to read the receiver's reason. */
const excerptBytes = 200;

/**
 * One delivery attempt: POSTs the event (the same JSON as `GET /v1/events` shows it) to the webhook's URL,
 * signed, and says whether a 2xx came within `timeoutMs`. Redirects are not followed: a 3xx is a failure like
 * any answer but a 2xx (and the control plane is never steered to another address). The timestamp is the real
 * time (`wallClock`), whatever clock the database runs on, since the receiver checks it against its own.
 */
export async function attemptDelivery(
  webhook: { url: string; secret: string },
  event: EventRow,
  options: { fetch: typeof fetch; timeoutMs: number; wallClock?: () => number },
): Promise<AttemptOutcome> {
  const view = toEventView(event);
  const body = JSON.stringify(view);
  const timestamp = Math.floor((options.wallClock ?? Date.now)() / 1000);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await options.fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'kurento-fleet-webhooks/1',
        [webhookHeaders.event]: view.type,
        [webhookHeaders.delivery]: view.id,
        [webhookHeaders.timestamp]: String(timestamp),
        [webhookHeaders.signature]: await signWebhook(webhook.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal,
    });
    if (response.status >= 200 && response.status < 300) {
      // The answer's body means nothing; cancelling it frees the connection at once.
      await response.body?.cancel().catch(() => {});
      return { ok: true, http: response.status };
    }
    const excerpt = await readExcerpt(response);
    return {
      ok: false,
      http: response.status,
      error: `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
    };
  } catch (error) {
    if (signal.aborted) return { ok: false, http: null, error: `no answer within ${options.timeoutMs} ms` };
    return {
      ok: false,
      http: null,
      error: `cannot reach ${originOf(webhook.url)}: ${describeFetchError(error)}`,
    };
  }
}

/** The start of an answer's body as text, then the rest is dropped (a receiver may answer anything). */
async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < excerptBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut off or timed out: what was read is the excerpt.
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(bytes.subarray(0, excerptBytes)).replace(/\s+/g, ' ').trim();
}

/** The URL without its path and query, which may hold a receiver's own secret. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the webhook URL';
  }
}
