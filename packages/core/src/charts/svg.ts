// SVG text building blocks shared by every chart: escaping, number output and elements.

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for use in SVG content or attribute values. Characters that XML 1.0 forbids
 * (C0 controls other than tab, newline and carriage return; U+FFFE, U+FFFF; lone surrogates)
 * are dropped, since no escape can make them legal.
 */
export function escapeXml(text: unknown): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** A coordinate as SVG text: two decimals at most, never NaN or Infinity (those become 0). */
export function num(x: number): string {
  if (!Number.isFinite(x)) return '0';
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Attribute values: numbers pass through {@link num}, strings are escaped, undefined/false are left out. */
export type Attrs = Readonly<Record<string, string | number | undefined | false>>;

/** One SVG element as text; `content` is inserted as is (already built markup). */
export function el(tag: string, attrs: Attrs, content?: string): string {
  let out = `<${tag}`;
  for (const key of Object.keys(attrs)) {
    const v = attrs[key];
    if (v === undefined || v === false) continue;
    out += ` ${key}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`;
  }
  return content === undefined ? `${out}/>` : `${out}>${content}</${tag}>`;
}

/** A text element; `content` is escaped. */
export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(content));
}

/** A tooltip: an SVG `<title>` child with escaped text. */
export function tip(content: string): string {
  return `<title>${escapeXml(content)}</title>`;
}

/**
 * Estimated width in pixels of `s` at `fontSize`, by glyph class, measured on DejaVu Sans (the
 * widest common fallback of the charts' system-ui stack; Helvetica, Arial and Segoe UI are
 * narrower): narrow i/l/t/punctuation/space ≈ 0.34 em, m/w/M/W ≈ 0.92 em, other capitals ≈ 0.72 em,
 * digits ≈ 0.64 em, other letters ≈ 0.62 em. Bold runs about 12% wider.
 */
export function textWidth(s: string, fontSize: number): number {
  let em = 0;
  for (const ch of s) {
    if (/[iljtfrI.,:;'!|() \[\]]/.test(ch)) em += 0.34;
    else if (/[mwMW@%]/.test(ch)) em += 0.92;
    else if (/[A-Z&#]/.test(ch)) em += 0.72;
    else if (/[0-9]/.test(ch)) em += 0.64;
    else em += 0.62;
  }
  return em * fontSize;
}

/** The largest count of leading characters of `s` that fit in `width` pixels (with an ellipsis when cut). */
export function fitChars(s: string, fontSize: number, width: number): number {
  if (textWidth(s, fontSize) <= width) return s.length;
  let n = s.length;
  while (n > 1 && textWidth(`${s.slice(0, n - 1)}…`, fontSize) > width) n--;
  return n;
}

/** `s` shortened with an ellipsis to at most `maxChars` characters. */
export function truncate(s: string, maxChars: number): string {
  return s.length <= maxChars ? s : `${s.slice(0, Math.max(1, maxChars - 1))}…`;
}

/** A short stable hash (FNV-1a, base 36) used to make element ids unique per chart content. */
export function hashId(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
