import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { $api, api, messageOf } from '../api';
import { FormPage, LoadStatus, RecordUnavailable, queryLoad } from '../components';
import { useReference } from '../registry/reference';
import { Link, navigate } from '../router';
import { PolicyForm } from './policy-form';

/** `/policies/new`: the form for a new policy record; after saving, the table. */
export function NewPolicyPage() {
  const { t } = useTranslation('portfolio');
  const countries = useReference('countries');
  return (
    <FormPage list={{ to: '/policies', label: t('policies.title') }}>
      {countries.data ? (
        <PolicyForm policy={null} countries={countries.data} onSaved={() => navigate('/policies')} onCancel={() => navigate('/policies')} />
      ) : (
        <LoadStatus load={queryLoad(countries)} what={t('policyForm.whatCountries')} onRetry={() => void countries.refetch()} />
      )}
    </FormPage>
  );
}

/** `/policies/:id`: a policy record's form, to correct it or delete it; either way back to the table. */
export function EditPolicyPage({ id }: { id: string }) {
  const { t } = useTranslation('portfolio');
  const policyQ = $api.useQuery('get', '/api/policies/{id}', { params: { path: { id } } });
  const countries = useReference('countries');
  const [notice, setNotice] = useState<string | null>(null);
  const policy = policyQ.data;

  if (!policy) {
    return (
      <RecordUnavailable
        query={policyQ}
        list={{ to: '/policies', label: t('policies.title') }}
        title={t('policyPage.notFound')}
        text={<Trans t={t} i18nKey="policyPage.notFoundText" values={{ id }} components={{ 1: <code />, 3: <Link to="/policies">{null}</Link> }} />}
        what={t('policyPage.what')}
      />
    );
  }

  async function remove() {
    if (!policy || !window.confirm(t('policyPage.confirmDelete', { country: policy.countryName }))) return;
    try {
      await api.DELETE('/api/policies/{id}', { params: { path: { id: policy.id } } });
      navigate('/policies');
    } catch (err) {
      setNotice(t('policyPage.notDeleted', { message: messageOf(err) }));
    }
  }

  return (
    <FormPage list={{ to: '/policies', label: t('policies.title') }} current={policy.countryName}>
      {notice ? (
        <p className="notice notice--warning" role="alert" data-testid="save-notice">
          {notice}
        </p>
      ) : null}
      {countries.data ? (
        <PolicyForm policy={policy} countries={countries.data} onSaved={() => navigate('/policies')} onCancel={() => navigate('/policies')} />
      ) : (
        <LoadStatus load={queryLoad(countries)} what={t('policyForm.whatCountries')} onRetry={() => void countries.refetch()} />
      )}
      <p className="profile-actions">
        <button type="button" className="button--danger" onClick={() => void remove()} data-testid="policy-delete">
          {t('policyPage.delete')}
        </button>
      </p>
    </FormPage>
  );
}
