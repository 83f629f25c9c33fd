import type { ProviderRequest } from '../adapter';

/** A form body's fields in the order they were posted (a repeated name keeps each value). */
export type FormFields = Array<[name: string, value: string]>;

/** A header's value whatever the case of its name (Node lowercases them; tests may not). */
export function headerValue(request: ProviderRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The media type of the body, lowercased and without parameters; '' when none was sent. */
export function mediaTypeOf(request: ProviderRequest): string {
  return (headerValue(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Whether the body is a form: Twilio posts its messaging webhooks as
 * `application/x-www-form-urlencoded`. A request with no content type is read as a form
 * (some proxies drop the header); anything else (JSON above all) is not.
 */
export function isFormBody(request: ProviderRequest): boolean {
  const type = mediaTypeOf(request);
  return type === '' || type === 'application/x-www-form-urlencoded';
}

/** The fields of a form body (`+` is a space, as the format says). */
export function readForm(request: ProviderRequest): FormFields {
  return [...new URLSearchParams(request.rawBody.toString('utf8'))];
}

/** The first value of a field, or null. */
export function field(fields: FormFields, name: string): string | null {
  return fields.find(([key]) => key === name)?.[1] ?? null;
}
