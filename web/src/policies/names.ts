import { useTranslation } from 'react-i18next';
import { words } from '../registry/labels';

/** The restriction types of DESIGN §2.4, in the order the table lists a country's rows. */
export const RESTRICTIONS = ['entry_ban', 'short_stay', 'long_stay_residence', 'deportation', 'mandatory_testing_disclosure'];
export const POLICY_STATUSES = ['in_force', 'repealed', 'none', 'unclear'];

/** A restriction type or policy status in the user's words (the code in words for one not in the catalogue). */
export function usePolicyNames() {
  const { t, i18n } = useTranslation('portfolio');
  return (group: 'restrictions' | 'statuses' | 'mapStatus', code: string) =>
    i18n.exists(`policies.${group}.${code}`, { ns: 'portfolio' }) ? t(`policies.${group}.${code}` as 'policies.statuses.none') : words(code);
}
