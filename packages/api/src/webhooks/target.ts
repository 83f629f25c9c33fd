import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isNonPublicAddress } from './address-class';

/** Where a webhook goes: the URL and the one address its host resolved to, pinned. */
export type WebhookTarget = { url: URL; address: string; family: 4 | 6 };

/** Why a URL is not a webhook target (shown to the admin, stored on the delivery). */
export class TargetRefused extends Error {
  override name = 'TargetRefused';
}

/** Only these schemes; no credentials in the URL (they would travel to every redirect…). */
export function checkWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('Not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetRefused('Only http and https URLs can receive webhooks');
  }
  if (url.username || url.password) throw new TargetRefused('No credentials in the URL');
  return url;
}

/**
 * Resolves the URL's host once (DNS or a literal address) and checks every address it
 * gave: one loopback, link-local or private address refuses the target unless
 * `allowPrivateNetwork`. The request then connects to the first address only, so a
 * second lookup (DNS rebinding) cannot move it elsewhere.
 */
export async function resolveWebhookTarget(
  raw: string,
  options: { allowPrivateNetwork: boolean },
): Promise<WebhookTarget> {
  const url = checkWebhookUrl(raw);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new TargetRefused(`The host ${host} could not be resolved`);
    }
  }
  const first = addresses[0];
  if (!first) throw new TargetRefused(`The host ${host} has no address`);
  if (!options.allowPrivateNetwork) {
    const inside = addresses.find((a) => isNonPublicAddress(a.address));
    if (inside) {
      throw new TargetRefused(
        `${host} resolves to ${inside.address}, a loopback, link-local or private address; an admin must allow private networks for this endpoint`,
      );
    }
  }
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
