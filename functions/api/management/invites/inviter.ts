import type { ActingPrincipal } from '../../../core/principal.js';

/** `<type>:<identifier>` of the principal that sends an invite, as recorded on the invite. */
export function inviterTag(principal: ActingPrincipal): string {
  return `${principal.type}:${principal.identifier}`;
}

/** The principal an invite's `invitedBy` names, or `undefined` when it names none. */
export function principalOfInviter(tag: string): ActingPrincipal | undefined {
  const separator = tag.indexOf(':');
  const type = tag.slice(0, separator);
  const identifier = tag.slice(separator + 1);
  if (separator < 0 || identifier === '') return undefined;
  return type === 'USER' || type === 'SERVICE_ACCOUNT' ? { type, identifier } : undefined;
}
