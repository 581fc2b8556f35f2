/** A short single-line excerpt of an error body we could not read (HTML pages, proxy errors), as a message. */
export function errorExcerpt(status: number, text: string): string {
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return excerpt === '' ? `upstream answered with status ${status}` : `upstream answered with status ${status}: ${excerpt}`;
}
