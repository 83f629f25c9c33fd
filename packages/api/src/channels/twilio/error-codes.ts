// Twilio's error dictionary (https://www.twilio.com/docs/api/errors) for the codes a
// message delivery or send most often ends with, in words an agent can act on.
const words: Record<string, string> = {
  '21211': "Invalid 'To' phone number",
  '21408': 'Sending to this region is not enabled on the Twilio account',
  '21610': 'The recipient replied STOP (unsubscribed)',
  '21612': "The 'To' number cannot be reached from this sender",
  '21614': "The 'To' number is not a mobile number",
  '21635': "The 'To' number is a landline",
  '30001': 'Queue overflow',
  '30002': 'Twilio account suspended',
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered by the carrier',
  '30008': 'Unknown error',
  '30034': 'Message from an unregistered number (US A2P 10DLC)',
};

/** "Unreachable destination handset (Twilio error 30003)", or the bare code when unknown. */
export function describeTwilioError(code: string | number): string {
  const known = words[String(code)];
  return known ? `${known} (Twilio error ${code})` : `Twilio error ${code}`;
}
