import type { EventType, Webhook, WebhookDelivery } from '@kurento-fleet/client';
import { expectPositionals, intArg, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { formatFields, formatTable } from '../table';

const add: Command = {
  path: ['webhooks', 'add'],
  // URL is an argument: --url is the control plane's, a global flag.
  usage: 'URL [--type T,…] [--description D]',
  summary: 'have the events POSTed to URL, signed; prints the signing secret, once',
  details:
    'Every event from now on (of the types given, or all) is POSTed to URL in order, at least once, with the\n' +
    'headers X-Fleet-Event, X-Fleet-Delivery, X-Fleet-Timestamp and X-Fleet-Signature. Verify them with the\n' +
    "secret printed here (the SDK's verifyWebhookSignature); it is not shown again.",
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, {
      type: { type: 'string' },
      description: { type: 'string' },
    });
    const [url] = expectPositionals(positionals, ['URL']);
    const created = await ctx.fleet().createWebhook({
      url: url!,
      ...(values.type === undefined ? {} : { types: values.type.split(',') as EventType[] }),
      ...(values.description === undefined ? {} : { description: values.description }),
    });
    ctx.print(created, () =>
      formatFields([
        ['id', created.webhook.id],
        ['url', created.webhook.url],
        ['types', types(created.webhook)],
        ['description', created.webhook.description ?? '-'],
        ['secret', `${created.secret}  (shown once)`],
      ]),
    );
    return 0;
  },
};

const list: Command = {
  path: ['webhooks', 'list'],
  usage: '',
  summary: 'webhooks, with where their delivery stands (never their secrets)',
  async run(ctx) {
    expectPositionals(parseCommandArgs(ctx.args, {}).positionals, []);
    const webhooks = await ctx.fleet().listWebhooks();
    ctx.print({ webhooks }, () =>
      webhooks.length === 0
        ? 'no webhooks'
        : formatTable(
            ['ID', 'URL', 'TYPES', 'AFTER', 'FAILURES', 'RETRY AT', 'DESCRIPTION'],
            webhooks.map((w) => [
              w.id,
              w.url,
              types(w),
              w.delivery.afterEventId,
              String(w.delivery.failures),
              w.delivery.retryAt ?? '-',
              w.description ?? '-',
            ]),
          ),
    );
    return 0;
  },
};

const remove: Command = {
  path: ['webhooks', 'delete'],
  usage: 'ID',
  summary: 'stop a webhook at once, with its delivery log',
  async run(ctx) {
    const [id] = expectPositionals(parseCommandArgs(ctx.args, {}).positionals, ['ID']);
    await ctx.fleet().deleteWebhook(id!);
    ctx.print({ id, deleted: true }, () => `deleted webhook ${id}`);
    return 0;
  },
};

const deliveries: Command = {
  path: ['webhooks', 'deliveries'],
  usage: 'ID [--limit L]',
  summary: "a webhook's delivery log, newest event first: delivered, retrying or failed, and why",
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, { limit: { type: 'string' } });
    const [id] = expectPositionals(positionals, ['ID']);
    const limit = values.limit === undefined ? undefined : intArg('limit', values.limit, 1, 1000);
    const log = await ctx.fleet().listWebhookDeliveries(id!, limit === undefined ? {} : { limit });
    ctx.print({ deliveries: log }, () => deliveriesTable(log));
    return 0;
  },
};

function types(webhook: Webhook): string {
  return webhook.types === null ? 'all' : webhook.types.join(',');
}

function deliveriesTable(log: WebhookDelivery[]): string {
  if (log.length === 0) return 'no deliveries';
  return formatTable(
    ['EVENT', 'TYPE', 'STATUS', 'ATTEMPTS', 'HTTP', 'AT', 'ERROR'],
    log.map((d) => [
      d.eventId,
      d.type,
      d.status,
      String(d.attempts),
      d.lastStatus === null ? '-' : String(d.lastStatus),
      d.deliveredAt ?? d.updatedAt,
      d.lastError ?? '-',
    ]),
  );
}

export const webhookCommands: Command[] = [add, list, remove, deliveries];
