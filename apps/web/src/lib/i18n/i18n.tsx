// The language of the SPA for React: `useI18n()` gives the texts (`t`), the formatters of the user's locale
// (`format`), the words for a failure (`errorText`) and the language switch. The choice is kept in localStorage
// for now; once GET /auth/me answers a user's `locale`, pass it as `userLanguage` and it takes over.
import { createContext, Fragment, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../api-client.ts';
import { createFormat, type TFormat } from '../format.ts';
import { CATALOGUES, formattingLocaleOf, LANGUAGE_STORAGE_KEY, resolveLanguage, type TLanguage } from './languages.ts';
import { createTranslator, type TMessageKey, type TTranslate, type TTranslateArgs } from './translate.ts';

export type TI18n = {
  language: TLanguage;
  /** The BCP 47 locale numbers and dates are written in. */
  locale: string;
  t: TTranslate;
  format: TFormat;
  /** The text to show for a failure, in the user's language where the words are ours (not the server's). */
  errorText: (error: unknown) => string;
};

const STATUS_MESSAGES: Partial<Record<number, TMessageKey>> = {
  400: 'error.status.400',
  401: 'error.status.401',
  403: 'error.status.403',
  404: 'error.status.404',
  409: 'error.status.409',
  412: 'error.status.409',
  429: 'error.status.429',
  502: 'error.status.502',
  503: 'error.status.503',
  504: 'error.status.504',
};

/** What a failure says: the API's own problem detail when it sent one, else our words for its status. */
export function errorTextOf(error: unknown, t: TTranslate): string {
  if (error instanceof ApiError && !error.isFromServer) {
    if (error.isNetworkError) return t('error.network');
    const key = STATUS_MESSAGES[error.status];
    if (key !== undefined) return t(key as 'error.status.400');
    return t(error.status >= 500 ? 'error.serverFailed' : 'error.requestFailed', { status: error.status });
  }
  return error instanceof Error ? error.message : String(error);
}

/** Texts, formatters and error words of one language and locale (pure: tests and non-React code use it too). */
export function createI18n(language: TLanguage, locale: string = language): TI18n {
  const t = createTranslator(CATALOGUES[language], locale);
  return {
    language,
    locale,
    t,
    format: createFormat(locale, t('common.notApplicable')),
    errorText: (error) => errorTextOf(error, t),
  };
}

type TI18nContext = TI18n & { setLanguage: (language: TLanguage) => void };

const I18nContext = createContext<TI18nContext | null>(null);

function storedLanguage(): string | null {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    // Storage can be switched off (private modes, kiosk policies): the browser's language still applies.
    return null;
  }
}

export function I18nProvider({ userLanguage, children }: { userLanguage?: string | null; children: ReactNode }) {
  const browserLanguages = navigator.languages;
  const [chosen, setChosen] = useState<TLanguage | null>(null);
  const language = chosen ?? resolveLanguage({ userLanguage, storedLanguage: storedLanguage(), browserLanguages });
  const value = useMemo<TI18nContext>(
    () => ({
      ...createI18n(language, formattingLocaleOf(language, browserLanguages)),
      setLanguage: (next) => {
        try {
          window.localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
        } catch {
          // Not stored: the choice holds until the page is reloaded.
        }
        setChosen(next);
      },
    }),
    [language, browserLanguages],
  );

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): TI18nContext {
  const context = useContext(I18nContext);
  if (context === null) throw new Error('useI18n needs an <I18nProvider> above it');
  return context;
}

/**
 * A message with React nodes for some of its values (a link inside a sentence): the text is translated as a
 * whole, so that each language places the link where its grammar wants it.
 */
export function translateWithNodes<K extends TMessageKey>(
  t: TTranslate,
  key: K,
  nodes: Record<string, ReactNode>,
): ReactNode[] {
  const marks = Object.fromEntries(Object.keys(nodes).map((name) => [name, `\u0000${name}\u0000`]));
  const text = t(key, ...([marks] as unknown as TTranslateArgs<K>));
  return text
    .split('\u0000')
    .map((part, index) => <Fragment key={index}>{index % 2 === 1 ? (nodes[part] ?? part) : part}</Fragment>);
}
