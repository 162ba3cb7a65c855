import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { hasNavigated } from '../router';
import type { FormErrors } from './form-errors';

/** A labelled text input with its error (from the API) right below it. */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'password' | 'email' | 'number' | 'datetime-local';
  required?: boolean;
  list?: string;
  autoComplete?: string;
  readOnly?: boolean;
}) {
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].join(' ').trim();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        required={props.required}
        list={props.list}
        autoComplete={props.autoComplete ?? 'off'}
        readOnly={props.readOnly}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {props.hint ? (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** One option of a {@link SelectField}. */
export interface Option {
  readonly value: string;
  readonly label: string;
}

/** A labelled select with its error right below it. */
export function SelectField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly Option[];
  error?: string | undefined;
  hint?: string;
}) {
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].join(' ').trim();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {props.hint ? (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled checkbox. */
export function CheckboxField(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="field checkbox">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}

/** Errors no field owns, shown above a form and announced. */
export function GeneralErrors({ errors }: { errors: FormErrors }) {
  if (errors.general.length === 0) return null;
  return (
    <div className="form-errors" role="alert">
      {errors.general.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}

/** A form section: a heading, general errors, the fields and a submit button. */
export function FormPanel(props: {
  title: string;
  submitLabel: string;
  onSubmit: () => Promise<void> | void;
  errors: FormErrors;
  busy?: boolean;
  children: ReactNode;
}) {
  const headingId = useId();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await props.onSubmit();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{props.title}</h2>
      <form onSubmit={submit} noValidate>
        <GeneralErrors errors={props.errors} />
        <div className="fields">{props.children}</div>
        <button type="submit" className="primary" disabled={busy || props.busy}>
          {props.submitLabel}
        </button>
      </form>
    </section>
  );
}

/** One column of a {@link DataTable}. */
export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
}

/** A table with a caption, a header row and a message when there are no rows. */
export function DataTable<T>(props: {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  empty?: string;
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr>
              <td colSpan={props.columns.length} className="empty">
                {props.empty ?? 'Nothing here yet.'}
              </td>
            </tr>
          ) : (
            props.rows.map((row) => (
              <tr key={props.rowKey(row)}>
                {props.columns.map((column) => (
                  <td key={column.header}>{column.cell(row)}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Search box and pager of a list. */
export function ListControls(props: {
  search?: string;
  onSearch?: (term: string) => void;
  pageIndex: number;
  totalPages: number;
  totalItems: number;
  onPage: (pageIndex: number) => void;
}) {
  const searchId = useId();
  return (
    <div className="list-controls">
      {props.onSearch ? (
        <div className="field inline">
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            type="search"
            value={props.search ?? ''}
            onChange={(event) => props.onSearch?.(event.target.value)}
          />
        </div>
      ) : null}
      <nav className="pager" aria-label="Pages">
        <button
          type="button"
          onClick={() => props.onPage(props.pageIndex - 1)}
          disabled={props.pageIndex <= 0}
        >
          Previous page
        </button>
        <span>
          Page {Math.min(props.pageIndex + 1, Math.max(props.totalPages, 1))} of{' '}
          {Math.max(props.totalPages, 1)} ({props.totalItems} {props.totalItems === 1 ? 'item' : 'items'})
        </span>
        <button
          type="button"
          onClick={() => props.onPage(props.pageIndex + 1)}
          disabled={props.pageIndex + 1 >= props.totalPages}
        >
          Next page
        </button>
      </nav>
    </div>
  );
}

/**
 * A **Delete** button that asks first: a modal dialog naming what goes, with **Delete** and
 * **Cancel**. `onConfirm` failures are shown in the dialog.
 */
export function ConfirmDelete(props: {
  what: string;
  onConfirm: () => Promise<void>;
  label?: string;
  consequence?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const label = props.label ?? 'Delete';
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
      dialog.current?.close();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="danger" onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={headingId} onClose={() => setError(undefined)}>
        <h2 id={headingId}>
          {label} {props.what}?
        </h2>
        {props.consequence ? <p>{props.consequence}</p> : null}
        {error ? (
          <p className="form-errors" role="alert">
            {error}
          </p>
        ) : null}
        <div className="actions">
          <button type="button" className="danger" onClick={confirm} disabled={busy}>
            {label}
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}

/** A secret shown once (a new token): read-only, with a **Copy** button and a warning. */
export function SecretOnce(props: { label: string; value: string; onDismiss?: () => void }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
    } catch {
      const input = document.getElementById(id) as HTMLInputElement | null;
      input?.select();
    }
  };
  return (
    <div className="secret" role="status">
      <label htmlFor={id}>{props.label}</label>
      <div className="secret-row">
        <input id={id} type="text" readOnly value={props.value} onFocus={(event) => event.target.select()} />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p className="hint">{copied ? 'Copied. ' : ''}Shown once: copy it now, it cannot be displayed again.</p>
      {props.onDismiss ? (
        <button type="button" onClick={props.onDismiss}>
          Done
        </button>
      ) : null}
    </div>
  );
}

/** A short announced message after an action (e.g. "Created payments"). */
export function Notice({ text }: { text: string | undefined }) {
  return (
    <p className="notice" role="status" aria-live="polite">
      {text ?? ''}
    </p>
  );
}

/**
 * The page's heading; it takes focus when the console moved to this page, so keyboard and
 * screen-reader users land on it (on the first load focus stays at the top, before the skip link).
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (hasNavigated()) heading.current?.focus();
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}
