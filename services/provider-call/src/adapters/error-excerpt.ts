/**
 * The client's message for an error body we could not read (HTML pages, proxy errors, anything not in the
 * provider's error shape): the status only. The body is never echoed: an upstream URL pointing somewhere it
 * should not would otherwise let any client key read that place's answers.
 */
export function errorExcerpt(status: number, _text: string): string {
  return `upstream answered with status ${status} and an error body in no known error format`;
}

/** A short single-line excerpt of an error body for a debug log line (operators only; never sent to clients). */
export function logExcerpt(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}
