/**
 * Dates as the reader's locale writes them, on pages the server renders: the same style as the web app's
 * `formatDate` (medium, e.g. "7 Dec 2026" or "Dec 7, 2026"), as a day in UTC, so the server's page and the
 * web app never disagree about which day it was, whatever the reader's time zone.
 */
export const fallbackLocale = 'en-GB';

const formatters = new Map<string, Intl.DateTimeFormat>();
const maxFormatters = 200;

/** The first language of an Accept-Language header this runtime can format dates in (by q order). */
export function readerLocale(acceptLanguage: string | string[] | undefined): string {
  const header = [acceptLanguage].flat().join(',').slice(0, 500);
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.tag && l.tag !== '*' && l.q > 0 && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(l.tag))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // A tag Intl refuses: try the next one.
    }
  }
  return fallbackLocale;
}

/** A day (in UTC) in the locale's medium date style. */
export function formatDay(date: Date, locale: string = fallbackLocale): string {
  let format = formatters.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    if (formatters.size >= maxFormatters) formatters.clear();
    formatters.set(locale, format);
  }
  return format.format(date);
}
