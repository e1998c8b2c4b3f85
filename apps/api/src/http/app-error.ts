// The one error type services throw; the error middleware turns it into problem+json.
import type { TFieldError } from '@takt/contracts';

export const APP_ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
} as const;
export type AppErrorCode = keyof typeof APP_ERROR_STATUS;

export type AppErrorOptions = {
  /** Shown to the user: what went wrong and, where useful, what to do. */
  detail?: string;
  errors?: TFieldError[];
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
};

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: AppErrorCode,
    readonly title: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(options.detail ?? title);
    this.status = APP_ERROR_STATUS[code];
  }
}
