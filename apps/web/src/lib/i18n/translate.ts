// Looking a message up and filling it in (pure): `{name}` placeholders take the given values (numbers in the
// locale's digits and separators), and a message with plural forms picks the form for `count` by the language's
// plural rules (Intl.PluralRules). The types come from the English catalogue, the source: a key that does not
// exist, a missing value or one too many is a type error where `t` is called.
import type { en } from './messages.en.ts';

export type TSourceMessages = typeof en;
export type TMessageKey = keyof TSourceMessages;

/** A message with plural forms; `other` is always there, the rest as the language needs them. */
export type TPluralForms = {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
};

/** Another language's version of an English catalogue `T`: every key, nothing else, plurals where English has them. */
export type TCatalogueOf<T> = { readonly [K in keyof T]: T[K] extends string ? string : TPluralForms };

/** A catalogue of another language: every key of the English one, nothing else, plurals where English has them. */
export type TMessages = TCatalogueOf<TSourceMessages>;

type TPlaceholders<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | TPlaceholders<Rest> : never;
type TValuesOf<M> = M extends string ? TPlaceholders<M> : 'count' | TPlaceholders<M[keyof M]>;
type TParams<K extends TMessageKey> = {
  [Name in TValuesOf<TSourceMessages[K]>]: Name extends 'count' ? number : string | number;
};

/** The arguments after the key: none for a message without placeholders, else every placeholder's value. */
export type TTranslateArgs<K extends TMessageKey> = [TValuesOf<TSourceMessages[K]>] extends [never]
  ? []
  : [params: TParams<K>];

export type TTranslate = <K extends TMessageKey>(key: K, ...args: TTranslateArgs<K>) => string;

/** The keys of messages without placeholders: what a table of labels may hold and `t(key)` shows as it is. */
export type TPlainMessageKey = { [K in TMessageKey]: TTranslateArgs<K> extends [] ? K : never }[TMessageKey];

const PLACEHOLDER = /\{(\w+)\}/g;

/** `t` over `messages`, numbers formatted and plurals chosen for `locale` (a BCP 47 tag such as `de-DE`). */
export function createTranslator(messages: TMessages, locale: string): TTranslate {
  const plurals = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  return (key, ...args) => {
    const params: Record<string, string | number> = args[0] ?? {};
    const message: string | TPluralForms = messages[key];
    let text: string;
    if (typeof message === 'string') {
      text = message;
    } else {
      const count = Number(params.count);
      text = message[plurals.select(count)] ?? message.other;
    }
    return text.replace(PLACEHOLDER, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
}

/** The placeholder names of a message (all forms), for checking a translation against its source. */
export function placeholdersOf(message: string | TPluralForms): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1] ?? '');
  return [...names].sort();
}
