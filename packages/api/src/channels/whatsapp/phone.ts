/** A WhatsApp id (`wa_id`, `from`: digits, country code first) as E.164, or null. */
export function waIdToE164(waId: string): string | null {
  const digits = waId.replace(/\D/g, '');
  return digits.length >= 6 && digits.length <= 15 ? `+${digits}` : null;
}

/** The Cloud API's `to`: the E.164 number's digits, without `+`; null when it is not one. */
export function e164ToWaId(e164: string): string | null {
  const compact = e164.replace(/[\s().-]/g, '');
  return /^\+?[1-9]\d{5,14}$/.test(compact) ? compact.replace(/^\+/, '') : null;
}
