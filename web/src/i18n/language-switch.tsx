import { useTranslation } from 'react-i18next';
import { setLanguage } from '.';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from './resources';

/** The language of the app: follows the browser until chosen here, then remembered in this browser. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('shell.language')}</span>
      <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
