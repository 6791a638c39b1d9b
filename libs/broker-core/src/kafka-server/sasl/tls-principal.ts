import type { TLSSocket } from 'node:tls';
import { userPrincipal, type KafkaPrincipal } from '../../security/principal.js';

/**
 * The principal of an SSL connection, as Kafka's default principal builder makes it:
 * `User:<subject DN>` of a verified client certificate in RFC 2253 order (most specific
 * first, `CN=client,O=Weir,C=US`), else `User:ANONYMOUS` (undefined here).
 */
export function tlsClientPrincipal(socket: TLSSocket): KafkaPrincipal | undefined {
  if (!socket.authorized) return undefined;
  const certificate = socket.getPeerX509Certificate();
  if (certificate === undefined) return undefined;
  return userPrincipal(rfc2253Name(certificate.subject));
}

/** Node writes a subject one RDN a line, least specific first; RFC 2253 reverses them and joins with commas. */
export function rfc2253Name(subject: string): string {
  return subject.split('\n').filter((rdn) => rdn.length > 0).reverse().join(',');
}
