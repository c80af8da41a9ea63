import type { CombinedError } from 'urql';
import type { ReactNode } from 'react';

/** A typed error from a mutation payload. */
export interface UserError {
  code: string;
  message: string;
  field?: string | null;
}

/** The message a person should read for a failed request. */
export function errorText(error: CombinedError): string {
  if (error.networkError) return 'Cannot reach Orderly. Check your connection and try again.';
  const first = error.graphQLErrors[0];
  if (!first) return 'Something went wrong.';
  switch (first.extensions['code']) {
    case 'UNAUTHORIZED':
      return 'Please sign in again.';
    case 'FORBIDDEN':
      return 'You may not see this.';
    default:
      return first.message || 'Something went wrong.';
  }
}

/** Shows a failed request, or the typed errors a mutation returned, as an alert. */
export function ErrorMessage({ error, errors }: { error?: CombinedError | undefined; errors?: readonly UserError[] | undefined }) {
  const messages = [...(error ? [errorText(error)] : []), ...(errors ?? []).map((e) => e.message)];
  if (messages.length === 0) return null;
  return (
    <div role="alert" className="alert alert--error">
      {messages.length === 1 ? messages[0] : (
        <ul>
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" className="loading">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty__title">{title}</p>
      {children}
    </div>
  );
}
