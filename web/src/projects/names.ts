import { useTranslation } from 'react-i18next';
import { words } from '../registry/labels';

/** A project's coded value (status, objective) in the user's words: the catalogue's name, else the code in words. */
export function useProjectNames() {
  const { t, i18n } = useTranslation('portfolio');
  return (group: 'statuses' | 'objectiveNames', code: string) =>
    i18n.exists(`projects.${group}.${code}`, { ns: 'portfolio' }) ? t(`projects.${group}.${code}` as 'projects.statuses.active') : words(code);
}
