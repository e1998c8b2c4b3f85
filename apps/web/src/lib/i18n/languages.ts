// The languages of the SPA and how the one in use is chosen (pure). The user's own setting wins (today the choice
// stored in this browser; later a `locale` answered by GET /auth/me, passed as `userLanguage`), then the browser's
// preferred languages, then English. Numbers and dates follow the browser's regional variant of the chosen
// language (de-AT, en-GB …) where it has one.
import { de } from './messages.de.ts';
import { en } from './messages.en.ts';
import type { TMessages } from './translate.ts';

export const LANGUAGES = ['en', 'de'] as const;
export type TLanguage = (typeof LANGUAGES)[number];

/** Each language in its own words, as a language menu lists them (never translated). */
export const LANGUAGE_NAMES: Record<TLanguage, string> = { en: 'English', de: 'Deutsch' };

export const CATALOGUES: Record<TLanguage, TMessages> = { en, de };

/** The key under which the chosen language is kept in localStorage. */
export const LANGUAGE_STORAGE_KEY = 'takt.language';

export function isLanguage(value: unknown): value is TLanguage {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

const primaryOf = (tag: string) => tag.split('-')[0]?.toLowerCase() ?? '';

/** The language to show: the user's setting, else the first supported browser language, else English. */
export function resolveLanguage(sources: {
  userLanguage?: string | null | undefined;
  storedLanguage: string | null;
  browserLanguages: readonly string[];
}): TLanguage {
  for (const candidate of [sources.userLanguage, sources.storedLanguage]) {
    if (isLanguage(candidate)) return candidate;
  }
  return sources.browserLanguages.map(primaryOf).find(isLanguage) ?? 'en';
}

/** The locale numbers and dates are formatted in: the browser's variant of `language`, else the language itself. */
export function formattingLocaleOf(language: TLanguage, browserLanguages: readonly string[]): string {
  const variant = browserLanguages.find((tag) => primaryOf(tag) === language);
  return variant !== undefined && Intl.NumberFormat.supportedLocalesOf([variant]).length > 0 ? variant : language;
}
