import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Something a list may hold: a site, a country, a place, by its code and name. */
export interface Choice {
  code: string;
  name: string;
}

/** A chosen item: `key` tells two stops at the same place apart (a route may pass a place twice). */
export interface Chosen extends Choice {
  key: number;
}

let nextKey = 1;
/** A chosen item with a fresh key. */
export function chosen(choice: Choice): Chosen {
  return { key: nextKey++, code: choice.code, name: choice.name };
}

/**
 * A list of places (sites, countries) built by typing a name or code, with the known ones
 * suggested: each chosen item can be removed and, in an ordered list (a route), moved up and down.
 * Text that names nothing in `choices` is refused under the box, in the user's words.
 */
export function ChoiceList({
  id,
  legend,
  hint,
  required,
  choices,
  value,
  onChange,
  ordered = false,
  texts,
  error,
  itemError,
  testId,
  addTestId,
}: {
  /** The fieldset's id, for the error summary's links. */
  id: string;
  legend: ReactNode;
  hint?: string;
  required?: ReactNode;
  choices: Choice[];
  value: Chosen[];
  onChange(next: Chosen[]): void;
  /** A route: order matters, repeats are allowed, and each item moves up and down. */
  ordered?: boolean;
  /** The list's own words: its Add button, the box's label and example, and the empty list. */
  texts: { add: string; label: string; placeholder: string; none: string };
  /** The server's message about the whole list. */
  error?: ReactNode;
  /** The server's message about the item at `index`. */
  itemError?: (index: number, item: Chosen) => ReactNode;
  testId: string;
  addTestId: string;
}) {
  const { t } = useTranslation();
  const uid = useId();
  const [adding, setAdding] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const optionLabel = (c: Choice) => t('choice.option', { name: c.name, code: c.code });
  const List = ordered ? 'ol' : 'ul';

  function add() {
    const text = adding.trim();
    if (!text) return;
    const lower = text.toLowerCase();
    const found =
      choices.find((c) => optionLabel(c) === text) ??
      choices.find((c) => c.code.toLowerCase() === lower) ??
      choices.find((c) => c.name.toLowerCase() === lower);
    if (!found) {
      setAddError(t('choice.unknown', { text }));
      return;
    }
    if (ordered || !value.some((v) => v.code === found.code)) onChange([...value, chosen(found)]);
    setAdding('');
    setAddError(null);
  }

  function move(index: number, by: -1 | 1) {
    const next = [...value];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  }

  return (
    <fieldset id={id} tabIndex={-1} data-testid={testId}>
      <legend>
        {legend}
        {required}
      </legend>
      {hint ? <p className="form-field__hint">{hint}</p> : null}
      {error}
      {value.length === 0 ? <p className="muted">{texts.none}</p> : null}
      <List className="route-editor">
        {value.map((item, i) => (
          <li key={item.key} className="route-editor__stop" data-code={item.code}>
            <span className="route-editor__name">
              {item.name} <code>{item.code}</code>
            </span>
            <span className="route-editor__actions">
              {ordered ? (
                <>
                  <button
                    type="button"
                    className="button--secondary button--small"
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                    aria-label={t('choice.up', { name: item.name })}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="button--secondary button--small"
                    disabled={i === value.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={t('choice.down', { name: item.name })}
                  >
                    ↓
                  </button>
                </>
              ) : null}
              <button
                type="button"
                className="button--secondary button--small"
                onClick={() => onChange(value.filter((x) => x.key !== item.key))}
                aria-label={t('choice.remove', { name: item.name })}
              >
                ✕
              </button>
            </span>
            {itemError?.(i, item)}
          </li>
        ))}
      </List>
      <div className="input-row">
        <label htmlFor={`${uid}-add`} className="visually-hidden">
          {texts.label}
        </label>
        <input
          id={`${uid}-add`}
          name={`${testId}-add`}
          type="text"
          list={`${uid}-choices`}
          value={adding}
          placeholder={texts.placeholder}
          aria-invalid={addError ? true : undefined}
          onChange={(e) => setAdding(e.target.value)}
          onKeyDown={(e) => {
            // Enter adds the item rather than sending the whole form.
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <datalist id={`${uid}-choices`}>
          {choices.map((c) => (
            <option key={c.code} value={optionLabel(c)} />
          ))}
        </datalist>
        <button type="button" className="button--secondary" onClick={add} data-testid={addTestId}>
          {texts.add}
        </button>
      </div>
      {addError ? (
        <p className="field-error" role="alert">
          {addError}
        </p>
      ) : null}
    </fieldset>
  );
}
