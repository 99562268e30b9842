import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../api';
import type { BodyOf } from '../api';
import type { SiteDetail } from '../registry/types';
import { saveErrors } from './form-errors';
import type { SaveErrors } from './form-errors';

let nextKey = 1;

/**
 * The state of a site's list editor (populations, services): rows of text fields keyed for
 * React, added, removed and edited, then saved whole with PUT /api/sites/{id}/{list}; the
 * server's messages land on the row and field they name (`{list}.{i}.{field}`).
 */
export function useSiteListForm<Row extends Record<string, string>>(
  site: SiteDetail,
  list: 'populations' | 'services',
  initial: () => Row[],
  toBody: (row: Row) => unknown,
  onSaved: (site: SiteDetail) => void,
) {
  const { t } = useTranslation('sites');
  const [rows, setRows] = useState<(Row & { key: number })[]>(() => initial().map((r) => ({ ...r, key: nextKey++ })));
  const [errors, setErrors] = useState<SaveErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const known = new RegExp(`^${list}\\.\\d+\\.\\w+`);
  const uid = useId();
  return {
    rows,
    errors,
    saving,
    add: (row: Row) => setRows((rs) => [...rs, { ...row, key: nextKey++ }]),
    remove: (key: number) => setRows((rs) => rs.filter((r) => r.key !== key)),
    update: (key: number, field: keyof Row, value: string) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, [field]: value } : r))),
    /**
     * What a cell needs: its input's props (value and accessible labelling) and the server's
     * messages about the field or its entries (`services.0.languages.1` lands under languages).
     */
    cell(row: Row, index: number, field: keyof Row & string, label: string) {
      const name = `${list}.${index}.${field}`;
      const id = `${uid}-${index}-${field}`;
      const messages = [...(errors?.byField.entries() ?? [])].filter(([f]) => f === name || f.startsWith(`${name}.`)).flatMap(([, m]) => m);
      const props = {
        id,
        name,
        value: row[field],
        'aria-label': t('rows.cellLabel', { label, row: index + 1 }),
        'aria-invalid': messages.length > 0 ? true : undefined,
        'aria-describedby': messages.length > 0 ? `${id}-error` : undefined,
      };
      return { name, id, messages, props };
    },
    async submit(event: FormEvent<HTMLFormElement>) {
      event.preventDefault();
      setSaving(true);
      setErrors(null);
      try {
        // The rows as typed (a size of "abc" included): the server validates and names the cell.
        const body = rows.map(toBody);
        const params = { path: { id: site.id } };
        onSaved(
          await data(
            list === 'populations'
              ? api.PUT('/api/sites/{id}/populations', { params, body: body as BodyOf<'/api/sites/{id}/populations', 'put'> })
              : api.PUT('/api/sites/{id}/services', { params, body: body as BodyOf<'/api/sites/{id}/services', 'put'> }),
          ),
        );
      } catch (err) {
        setErrors(saveErrors(err, (field) => known.test(field), list));
      } finally {
        setSaving(false);
      }
    },
  };
}

/** A choice among coded items (groups, service types); a stored code no longer listed stays shown. */
export function CodeSelect({
  props,
  items,
  placeholder,
  onChange,
}: {
  props: { value: string } & Record<string, unknown>;
  items: { code: string; name: string }[];
  placeholder: string;
  onChange(code: string): void;
}) {
  const known = items.some((i) => i.code === props.value);
  return (
    <select {...props} onChange={(e) => onChange(e.target.value)}>
      <option value="">{placeholder}</option>
      {!known && props.value ? <option value={props.value}>{props.value}</option> : null}
      {items.map((i) => (
        <option key={i.code} value={i.code}>
          {i.name}
        </option>
      ))}
    </select>
  );
}
