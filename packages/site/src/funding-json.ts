import type { Context } from './steps/context.js';

/**
 * /funding.json, the funding.json v1 manifest (fundingjson.org): who the site's author is and the ways
 * to pay them, for directories that read it. Made only when the config opts in with
 * `fundingManifest:`, whose contact email the author chose: nothing here fills one in.
 */
export function fundingJson(ctx: Context): string {
  const { config } = ctx;
  const manifest = config.fundingManifest!;
  const links = config.funding ?? [];
  const channels = links.map((link, i) => ({
    guid: `funding-${i + 1}`,
    type: link.url.startsWith('lightning:') ? 'other' : 'payment-provider',
    address: link.url,
    description: link.label,
  }));
  const document = {
    version: 'v1.0.0',
    entity: {
      type: manifest.type,
      role: 'owner',
      name: config.author.name,
      email: manifest.email,
      description: manifest.description ?? (config.description || config.title),
      webpageUrl: { url: config.url },
    },
    projects: [],
    funding: {
      channels,
      plans: channels.map((channel) => ({
        guid: channel.guid,
        status: 'active',
        name: channel.description,
        description: `Support ${config.author.name} through ${channel.description}.`,
        amount: 0,
        currency: 'USD',
        frequency: 'other',
        channels: [channel.guid],
      })),
      history: [],
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
