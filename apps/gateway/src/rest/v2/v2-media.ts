/**
 * Content negotiation of the v2 API. Requests carry application/vnd.kafka.v2+json
 * (application/json is accepted as well); a records request's Accept names the embedded
 * format it expects, application/vnd.kafka.{binary|json|avro|...}.v2+json.
 */
export const V2_MEDIA_TYPE_PATTERN = /^application\/vnd\.kafka(\.[a-z]+)?\.v2\+json$/;

/**
 * The embedded format an Accept header asks for, or undefined when it names none
 * (absent, `*\/*`, application/json): then the instance's own format is served.
 */
export function acceptedEmbeddedFormat(accept: string | undefined): string | undefined {
  if (accept === undefined) return undefined;
  for (const part of accept.split(',')) {
    const match = /^application\/vnd\.kafka\.([a-z]+)\.v2\+json$/i.exec(part.split(';')[0]?.trim() ?? '');
    if (match?.[1] !== undefined) return match[1].toLowerCase();
  }
  return undefined;
}
