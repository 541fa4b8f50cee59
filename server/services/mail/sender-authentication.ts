/** What the relay in front of us said about a message's sender. */
export interface SenderAuthentication {
  /** 'pass': DKIM, SPF or DMARC passed for the From domain; 'fail': results recorded, none passing; 'none': nothing recorded. */
  verdict: 'pass' | 'fail' | 'none';
  /** The results read, e.g. `dkim=fail (header.d=example.org), spf=softfail`. */
  detail: string;
}

/** `a.example.org` is aligned with `example.org` (relaxed alignment, as DMARC has it). */
const aligned = (fromDomain: string, domain: string): boolean => {
  const d = domain.toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  return d !== '' && (fromDomain === d || fromDomain.endsWith(`.${d}`));
};

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Reads RFC 8601 `Authentication-Results` headers for the From address. Only the topmost
 * header counts: it is the one the relay next to us added; any below it came with the message
 * and could be written by the sender. A result passes when DKIM passed with a signing domain
 * (`header.d` / `header.i`) aligned with the From domain, SPF passed for an aligned
 * `smtp.mailfrom`, or DMARC passed for the From domain.
 */
export function checkSenderAuthentication(headerValues: string[], from: string): SenderAuthentication {
  const top = headerValues[0]?.replace(/\r?\n[ \t]+/g, ' ').trim();
  if (!top) return { verdict: 'none', detail: 'no Authentication-Results recorded by a relay' };
  const fromDomain = domainOf(from);
  const seen: string[] = [];
  let pass = false;
  // The first part is the authserv-id; each later part is `method=result prop=value ...`.
  for (const part of top.split(';').slice(1)) {
    const clean = part.replace(/\([^)]*\)/g, ' ').trim();
    const m = /^([a-z0-9-]+)\s*=\s*([a-z]+)/i.exec(clean);
    if (!m) continue;
    const method = m[1].toLowerCase();
    const result = m[2].toLowerCase();
    if (!['dkim', 'spf', 'dmarc'].includes(method)) continue;
    const props = new Map<string, string>();
    for (const p of clean.slice(m[0].length).matchAll(/([a-z]+\.[a-z-]+)\s*=\s*("[^"]*"|[^\s;]+)/gi)) {
      props.set(p[1].toLowerCase(), p[2].replace(/^"|"$/g, ''));
    }
    const subject = props.get('header.d') ?? props.get('header.i') ?? props.get('smtp.mailfrom') ?? props.get('header.from') ?? '';
    seen.push(`${method}=${result}${subject ? ` (${subject})` : ''}`);
    if (result !== 'pass') continue;
    if (method === 'dkim' && [props.get('header.d'), props.get('header.i')].some((d) => d && aligned(fromDomain, domainOf(d)))) pass = true;
    if (method === 'spf' && [props.get('smtp.mailfrom')].some((d) => d && aligned(fromDomain, domainOf(d)))) pass = true;
    if (method === 'dmarc' && props.get('header.from') && domainOf(props.get('header.from')!) === fromDomain) pass = true;
  }
  if (seen.length === 0) return { verdict: 'none', detail: 'no DKIM, SPF or DMARC result recorded by a relay' };
  return { verdict: pass ? 'pass' : 'fail', detail: seen.join(', ') };
}
