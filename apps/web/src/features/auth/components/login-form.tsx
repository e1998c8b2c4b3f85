// The sign-in form: validated with the same ZLoginRequest the API uses (its refusals in the user's language),
// then the API's own words for what went wrong (wrong password, rate limit, a bad field), shown where a user
// looks for them.
import { ZLoginRequest, type TLoginRequest, type TUser } from '@takt/contracts';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { Icon } from '../../../components/ui/icon.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import type { TTranslate } from '../../../lib/i18n/translate.ts';
import { useLogin } from '../api/login.ts';

type TLoginFieldErrors = Partial<Record<keyof TLoginRequest, string>>;

/** The first refusal per field: an empty field is "required", anything else (too long) says so. */
function fieldErrorsFromZod(error: z.ZodError<TLoginRequest>, t: TTranslate): TLoginFieldErrors {
  const errors: TLoginFieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if ((field !== 'username' && field !== 'password') || errors[field] !== undefined) continue;
    if (issue.code !== 'too_small') errors[field] = t('login.tooLong');
    else errors[field] = t(field === 'username' ? 'login.usernameRequired' : 'login.passwordRequired');
  }
  return errors;
}

export function LoginForm({ onSuccess }: { onSuccess?: (user: TUser) => void }) {
  const { t, errorText } = useI18n();
  const id = useId();
  const [values, setValues] = useState<TLoginRequest>({ username: '', password: '' });
  const [fieldErrors, setFieldErrors] = useState<TLoginFieldErrors>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  const login = useLogin({ onSuccess });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = ZLoginRequest.safeParse(values);
    if (!parsed.success) {
      login.reset();
      setFieldErrors(fieldErrorsFromZod(parsed.error, t));
      return;
    }
    setFieldErrors({});
    login.mutate(parsed.data, {
      onError: (error) => {
        if (!(error instanceof ApiError)) return;
        const messages = error.fieldMessages();
        setFieldErrors({ username: messages.username, password: messages.password });
        if (error.status === 401) {
          // Wrong credentials: keep the username, let the user retype the password straight away.
          setValues((current) => ({ ...current, password: '' }));
          passwordRef.current?.focus();
        }
      },
    });
  }

  function updateField(field: keyof TLoginRequest, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    if (fieldErrors[field] !== undefined) setFieldErrors((current) => ({ ...current, [field]: undefined }));
  }

  const usernameId = `${id}-username`;
  const passwordId = `${id}-password`;
  const formError = login.error === null ? undefined : errorText(login.error);

  return (
    <form
      className="login-form"
      onSubmit={handleSubmit}
      noValidate
      aria-describedby={formError === undefined ? undefined : `${id}-alert`}
    >
      {formError === undefined ? null : (
        <div className="form-alert" role="alert" id={`${id}-alert`}>
          <Icon name="alert" />
          <span>{formError}</span>
        </div>
      )}
      <div className="field">
        <label className="field-label" htmlFor={usernameId}>
          {t('login.username')}
        </label>
        <input
          id={usernameId}
          className="field-input"
          name="username"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          value={values.username}
          onChange={(event) => updateField('username', event.target.value)}
          aria-invalid={fieldErrors.username !== undefined}
          aria-describedby={fieldErrors.username === undefined ? undefined : `${usernameId}-error`}
        />
        {fieldErrors.username === undefined ? null : (
          <p className="field-error" id={`${usernameId}-error`}>
            {fieldErrors.username}
          </p>
        )}
      </div>
      <div className="field">
        <label className="field-label" htmlFor={passwordId}>
          {t('login.password')}
        </label>
        <input
          id={passwordId}
          ref={passwordRef}
          className="field-input"
          name="password"
          type="password"
          autoComplete="current-password"
          value={values.password}
          onChange={(event) => updateField('password', event.target.value)}
          aria-invalid={fieldErrors.password !== undefined}
          aria-describedby={fieldErrors.password === undefined ? undefined : `${passwordId}-error`}
        />
        {fieldErrors.password === undefined ? null : (
          <p className="field-error" id={`${passwordId}-error`}>
            {fieldErrors.password}
          </p>
        )}
      </div>
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={login.isPending}
        aria-busy={login.isPending}
      >
        {login.isPending ? t('login.submitting') : t('login.submit')}
      </button>
    </form>
  );
}
