import { z } from '@aigw/config';

/** Proxy schemes undici's ProxyAgent speaks (provider-call sends through it). */
const PROXY_PROTOCOLS = new Set(['http:', 'https:']);
const SOCKS_PROTOCOLS = new Set(['socks:', 'socks4:', 'socks4a:', 'socks5:', 'socks5h:']);
const MASK = '***';

/** The proxy URL with its password replaced by `***` (http://user:***@host:port); never returns a secret. */
export function maskProxyUrl(proxyUrl: string): string {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    return '[invalid proxy url]';
  }
  if (url.password !== '') url.password = MASK;
  // URL adds a trailing "/" to bare origins; keep the form an operator wrote.
  const text = url.toString();
  return text.endsWith('/') && !proxyUrl.endsWith('/') ? text.slice(0, -1) : text;
}

/** A proxy URL an operator may store: http(s), a host, and not a masked copy of another URL. */
export const proxyUrlSchema = z
  .string()
  .max(512)
  // SOCKS was accepted once and then failed every call: say why at once instead.
  .refine((value) => !URL.canParse(value) || !SOCKS_PROTOCOLS.has(new URL(value).protocol), {
    message: 'SOCKS proxies are not supported: the gateway sends through HTTP(S) proxies (http://, https://) only',
    abort: true,
  })
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return PROXY_PROTOCOLS.has(url.protocol) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: 'must be a URL like http://user:password@host:port (http or https)' },
  )
  .refine((value) => !URL.canParse(value) || new URL(value).password !== MASK, {
    message: 'the password is masked (***); send the real one',
  });
