// The language picker: each language named in its own words, the choice applied at once and remembered.
import { useI18n } from '../../lib/i18n/i18n.tsx';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../../lib/i18n/languages.ts';

export function LanguageSelect({ id }: { id: string }) {
  const { t, language, setLanguage } = useI18n();
  return (
    <div className="field language-select">
      <label className="field-label" htmlFor={id}>
        {t('shell.language')}
      </label>
      <select
        id={id}
        className="field-input"
        value={language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) setLanguage(event.target.value);
        }}
      >
        {LANGUAGES.map((option) => (
          <option key={option} value={option} lang={option}>
            {LANGUAGE_NAMES[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
