/** What an operator pasted back after authorizing: the code, and the state when what they pasted carries it. */
export type PastedCode = { code: string; state: string | undefined } | { error: string };

const MAX_LENGTH = 8192;

/** Reads `code` and `state` (or the provider's `error`) from a query string. */
function fromQuery(query: URLSearchParams): PastedCode {
  const error = query.get('error');
  if (error !== null) return { error: `the provider answered ${/^[a-z_]{1,64}$/.test(error) ? error : 'an error'}` };
  const code = query.get('code');
  if (code === null || code === '') return { error: 'no code in what was pasted' };
  return { code, state: query.get('state') ?? undefined };
}

/**
 * Parses what the operator pasted: the whole redirect URL (`http://localhost:1455/auth/callback?code=…&state=…`),
 * its query string, Anthropic's `code#state` (what its callback page shows), or the bare code.
 */
export function parsePastedCode(pasted: string): PastedCode {
  const text = pasted.trim();
  if (text === '') return { error: 'nothing was pasted' };
  if (text.length > MAX_LENGTH) return { error: 'what was pasted is too long' };
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { error: 'the pasted redirect URL is not a valid URL' };
    }
    return fromQuery(url.searchParams);
  }
  if (/^\??[a-z_]+=/i.test(text) && /(^|[?&])(code|error)=/.test(text)) return fromQuery(new URLSearchParams(text.replace(/^\?/, '')));
  const hash = text.indexOf('#');
  if (hash >= 0) {
    const code = text.slice(0, hash);
    const state = text.slice(hash + 1);
    if (code === '') return { error: 'no code before the #' };
    return { code, state: state === '' ? undefined : state };
  }
  if (/\s/.test(text)) return { error: 'a code has no spaces' };
  return { code: text, state: undefined };
}
