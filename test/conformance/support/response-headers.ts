// What the SDKs do not hand out directly: the HTTP response headers, here `x-aigw-dropped`.

/** Entries of an `x-aigw-dropped` header (comma-separated, percent-encoded); [] when absent. */
export function decodeDropped(value: string | null | undefined): string[] {
  if (value === null || value === undefined || value === '') return [];
  return value.split(',').map((field) => decodeURIComponent(field));
}

/** A fetch for an SDK client that keeps the last response, so the test can read its headers. */
export function capturingFetch(): { fetch: typeof fetch; dropped(): string[]; header(name: string): string | null } {
  let last: Response | undefined;
  return {
    fetch: async (input, init) => {
      last = await fetch(input, init);
      return last;
    },
    dropped: () => decodeDropped(last?.headers.get('x-aigw-dropped')),
    header: (name) => last?.headers.get(name) ?? null,
  };
}
