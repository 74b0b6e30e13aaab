// A provider's readable label for messages, events and metrics: never a secret, a query or a control character.
import { sanitizeText } from './errors.ts';
import type { TokenProvider } from './types.ts';

/** `provider.label` cleaned up, else the first part of its key (e.g. `client-credentials`). */
export function cleanLabel(provider: TokenProvider): string {
  const given = typeof provider.label === 'string' ? provider.label : '';
  const label = given === '' ? (provider.key.split('|')[0] ?? 'provider') : given;
  return sanitizeText(label.replace(/[?#].*$/, ''), 200);
}
