// The catalogues and the translator: German has every English key with the same placeholders and plural forms
// where English has them; `t` fills values in the locale's digits and picks plural forms by the language's
// rules; the language is the user's choice before the browser's; our own error words follow the language.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api-client.ts';
import { createI18n, errorTextOf } from './i18n.tsx';
import { CATALOGUES, formattingLocaleOf, LANGUAGES, resolveLanguage } from './languages.ts';
import { en } from './messages.en.ts';
import { createTranslator, placeholdersOf, type TMessageKey } from './translate.ts';

const KEYS = Object.keys(en) as TMessageKey[];

describe('catalogues', () => {
  it.each(LANGUAGES)('%s has exactly the English keys, each with the same placeholders', (language) => {
    const messages = CATALOGUES[language];
    expect(Object.keys(messages).sort()).toEqual([...KEYS].sort());
    for (const key of KEYS) {
      expect(placeholdersOf(messages[key]), key).toEqual(placeholdersOf(en[key]));
      expect(typeof messages[key], key).toBe(typeof en[key]);
    }
  });

  it('words every German message differently from English, except the few the field writes the same', () => {
    // OEE, MTBF and MTTR are what German plants say too; the other two are nothing but values.
    const sameInGerman = ['page.oee', 'kpi.oee', 'oee.mtbf', 'oee.mttr', 'wo.line.option', 'wo.productOption'];
    const identical = KEYS.filter((key) => JSON.stringify(CATALOGUES.de[key]) === JSON.stringify(en[key]));
    expect(identical).toEqual(sameInGerman);
  });

  it('has no empty text in any language', () => {
    for (const language of LANGUAGES) {
      for (const key of KEYS) {
        const message = CATALOGUES[language][key];
        const texts = typeof message === 'string' ? [message] : Object.values(message);
        for (const text of texts) expect(text.trim(), `${language} ${key}`).not.toBe('');
      }
    }
  });
});

describe('createTranslator', () => {
  it('fills values, numbers in the locale’s digits', () => {
    expect(createTranslator(CATALOGUES.en, 'en-US')('overview.lastHour', { good: 1200 })).toBe(
      '1,200 good in the last hour',
    );
    expect(createTranslator(CATALOGUES.de, 'de-DE')('overview.lastHour', { good: 1200 })).toBe(
      '1.200 Gutteile in der letzten Stunde',
    );
  });

  it('picks the plural form by count', () => {
    const t = createTranslator(CATALOGUES.en, 'en');
    expect(t('downtime.classify', { count: 1 })).toBe('Classify stop');
    expect(t('downtime.classify', { count: 3 })).toBe('Classify 3 stops');
    expect(createTranslator(CATALOGUES.de, 'de')('downtime.classify', { count: 2 })).toBe(
      '2 Stillstände klassifizieren',
    );
  });
});

describe('resolveLanguage', () => {
  it('prefers the user’s setting, then the stored choice, then the browser, then English', () => {
    expect(resolveLanguage({ userLanguage: 'de', storedLanguage: 'en', browserLanguages: ['en-US'] })).toBe('de');
    expect(resolveLanguage({ userLanguage: null, storedLanguage: 'de', browserLanguages: ['en-US'] })).toBe('de');
    expect(resolveLanguage({ storedLanguage: null, browserLanguages: ['fr-FR', 'de-AT', 'en'] })).toBe('de');
    expect(resolveLanguage({ storedLanguage: 'xx', browserLanguages: ['fr-FR'] })).toBe('en');
  });

  it('formats in the browser’s regional variant of the language, if it has one', () => {
    expect(formattingLocaleOf('de', ['en-US', 'de-AT'])).toBe('de-AT');
    expect(formattingLocaleOf('en', ['de-DE'])).toBe('en');
  });
});

describe('errorTextOf', () => {
  const { t } = createI18n('de', 'de-DE');

  it('puts our own words in the user’s language, by status', () => {
    const network = new ApiError({ type: 'about:blank', title: 'x', status: 0 }, { isFromServer: false });
    expect(errorTextOf(network, t)).toMatch(/nicht erreichbar/);
    const limited = new ApiError({ type: 'about:blank', title: 'x', status: 429 }, { isFromServer: false });
    expect(errorTextOf(limited, t)).toBe('Zu viele Anfragen: Warten Sie einen Moment und versuchen Sie es erneut.');
    const teapot = new ApiError({ type: 'about:blank', title: 'x', status: 418 }, { isFromServer: false });
    expect(errorTextOf(teapot, t)).toBe('Die Anfrage ist fehlgeschlagen (HTTP 418).');
  });

  it('keeps the server’s own detail', () => {
    const refused = new ApiError({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'Line busy.' });
    expect(errorTextOf(refused, t)).toBe('Line busy.');
  });
});
