import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { LoginMutation, RegisterMutation } from '../auth/operations';
import { useSession } from '../auth/session';
import { ErrorMessage, type UserError } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';

/** Where to go after signing in: the page that asked, if it is one of ours. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function Field({
  name,
  label,
  type = 'text',
  autoComplete,
  errors,
  ...rest
}: {
  name: string;
  label: string;
  type?: string;
  autoComplete: string;
  errors: readonly UserError[];
  minLength?: number;
  maxLength?: number;
}) {
  const error = errors.find((e) => e.field?.split('.').at(-1) === name);
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        type={type}
        required
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
        {...rest}
      />
      {error && (
        <p id={`${name}-error`} className="field__error">
          {error.message}
        </p>
      )}
    </div>
  );
}

/** A text field of a submitted form ('' when absent). */
function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

function useSignedIn() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (payload: { token: string | null; expiresAt: string | null } | undefined) => {
    if (!payload?.token) return;
    signIn({ token: payload.token, expiresAt: payload.expiresAt });
    void navigate(safeNext(params.get('next')), { replace: true });
  };
}

export function LoginPage() {
  const [{ data, error, fetching }, login] = useMutation(LoginMutation);
  const signedIn = useSignedIn();
  const [params] = useSearchParams();
  const errors = data?.login.errors ?? [];

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const result = await login({ input: { email: text(form, 'email'), password: text(form, 'password') } });
    signedIn(result.data?.login);
  };

  return (
    <div className="narrow">
      <PageHeading title="Sign in">Sign in</PageHeading>
      <form className="card stack" onSubmit={submit} aria-label="Sign in">
        <Field name="email" label="Email" type="email" autoComplete="username" errors={errors} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" errors={errors} />
        <ErrorMessage error={error} errors={errors.filter((e) => !e.field)} />
        <button type="submit" className="button button--primary" disabled={fetching}>
          {fetching ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New here? <Link to={`/register?${params.toString()}`}>Create an account</Link>
      </p>
    </div>
  );
}

export function RegisterPage() {
  const [{ data, error, fetching }, register] = useMutation(RegisterMutation);
  const signedIn = useSignedIn();
  const [params] = useSearchParams();
  const errors = data?.register.errors ?? [];

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const result = await register({
      input: { name: text(form, 'name'), email: text(form, 'email'), password: text(form, 'password') },
    });
    signedIn(result.data?.register);
  };

  return (
    <div className="narrow">
      <PageHeading title="Create an account">Create an account</PageHeading>
      <form className="card stack" onSubmit={submit} aria-label="Create an account">
        <Field name="name" label="Name" autoComplete="name" errors={errors} maxLength={100} />
        <Field name="email" label="Email" type="email" autoComplete="email" errors={errors} />
        <Field name="password" label="Password (8 to 72 characters)" type="password" autoComplete="new-password" errors={errors} minLength={8} maxLength={72} />
        <ErrorMessage error={error} errors={errors.filter((e) => !['name', 'email', 'password'].includes(e.field?.split('.').at(-1) ?? ''))} />
        <button type="submit" className="button button--primary" disabled={fetching}>
          {fetching ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Have an account? <Link to={`/login?${params.toString()}`}>Sign in</Link>
      </p>
    </div>
  );
}
