import { useState, type ReactNode } from 'react';
import { ApiError } from '../api';

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page" data-testid={`page-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`}>
      <header className="page-head">
        <h1>{title}</h1>
        <div className="actions">{actions}</div>
      </header>
      {children}
    </section>
  );
}

export function Panel({ title, children, testId }: { title?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className="panel" data-testid={testId}>
      {title && <h2>{title}</h2>}
      {children}
    </div>
  );
}

export function ErrorNote({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" data-testid="error">
      {error}
    </p>
  );
}

export function Badge({ tone, children, testId }: { tone: 'ok' | 'warn' | 'bad' | 'muted'; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

/** The message of a failed API call, with its field errors. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`);
    return fields.length > 0 ? `${e.message} (${fields.join('; ')})` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Runs an async action, with its pending state and its error. */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setError(undefined);
    try {
      return await action();
    } catch (e) {
      setError(errorText(e));
      return undefined;
    } finally {
      setPending(false);
    }
  };
  return { pending, error, run, setError };
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
      {hint && <small>{hint}</small>}
    </label>
  );
}

export function CopyButton({ text, testId }: { text: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

