import { useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { $api, api, messageOf } from '../api';
import { FormPage, LoadStatus, RecordUnavailable, queryLoad } from '../components';
import { useReference } from '../registry/reference';
import { Link, navigate } from '../router';
import { ProjectForm } from './project-form';
import type { ProjectChoices } from './project-form';

/**
 * What the project form offers: every country, the sites the user can see, the population groups
 * and the occupation sectors of the taxonomy; `pending` is the first list not yet loaded.
 */
function useProjectChoices() {
  const countries = useReference('countries');
  const groups = useReference('populationGroups');
  const taxonomy = useReference('taxonomy');
  const sites = $api.useQuery('get', '/api/sites', { params: { query: { limit: 5000 } } });
  const choices = useMemo<ProjectChoices | null>(() => {
    if (!countries.data || !groups.data || !taxonomy.data || !sites.data) return null;
    const siteItems = typeof sites.data === 'object' && 'items' in sites.data ? sites.data.items : [];
    return {
      countries: countries.data.map((c) => ({ code: c.code, name: c.name })),
      sites: siteItems.map((s) => ({ code: s.code, name: s.name })).sort((a, b) => a.name.localeCompare(b.name)),
      groups: groups.data.map((g) => ({ code: g.code, name: g.name })),
      sectors: (taxonomy.data.find((c) => c.code === 'occupation_sector')?.options ?? []).map((o) => ({ code: o.code, name: o.name })),
    };
  }, [countries.data, groups.data, taxonomy.data, sites.data]);
  const pending = [countries, groups, taxonomy, sites].find((q) => !q.data) ?? countries;
  return { choices, pending };
}

/** `/projects/new`: the form for a new project; after saving, the list. */
export function NewProjectPage() {
  const { t } = useTranslation('portfolio');
  const { choices, pending } = useProjectChoices();
  return (
    <FormPage list={{ to: '/projects', label: t('projects.title') }}>
      {choices ? (
        <ProjectForm project={null} choices={choices} onSaved={() => navigate('/projects')} onCancel={() => navigate('/projects')} />
      ) : (
        <LoadStatus load={queryLoad(pending)} what={t('projectForm.whatChoices')} onRetry={() => void pending.refetch()} />
      )}
    </FormPage>
  );
}

/** `/projects/:id`: a project's form, to change it or delete it; either way back to the list. */
export function EditProjectPage({ id }: { id: string }) {
  const { t } = useTranslation('portfolio');
  const projectQ = $api.useQuery('get', '/api/projects/{id}', { params: { path: { id } } });
  const { choices, pending } = useProjectChoices();
  const [notice, setNotice] = useState<string | null>(null);
  const project = projectQ.data;

  if (!project) {
    return (
      <RecordUnavailable
        query={projectQ}
        list={{ to: '/projects', label: t('projects.title') }}
        title={t('projectPage.notFound')}
        text={<Trans t={t} i18nKey="projectPage.notFoundText" values={{ id }} components={{ 1: <code />, 3: <Link to="/projects">{null}</Link> }} />}
        what={t('projectPage.what')}
      />
    );
  }

  async function remove() {
    if (!project || !window.confirm(t('projectPage.confirmDelete', { title: project.title }))) return;
    try {
      await api.DELETE('/api/projects/{id}', { params: { path: { id: project.id } } });
      navigate('/projects');
    } catch (err) {
      setNotice(t('projectPage.notDeleted', { message: messageOf(err) }));
    }
  }

  return (
    <FormPage list={{ to: '/projects', label: t('projects.title') }} current={project.title}>
      {notice ? (
        <p className="notice notice--warning" role="alert" data-testid="save-notice">
          {notice}
        </p>
      ) : null}
      {choices ? (
        <ProjectForm project={project} choices={choices} onSaved={() => navigate('/projects')} onCancel={() => navigate('/projects')} />
      ) : (
        <LoadStatus load={queryLoad(pending)} what={t('projectForm.whatChoices')} onRetry={() => void pending.refetch()} />
      )}
      <p className="profile-actions">
        <button type="button" className="button--danger" onClick={() => void remove()} data-testid="project-delete">
          {t('projectPage.delete')}
        </button>
      </p>
    </FormPage>
  );
}
