// Maps every error to problem+json: AppError as declared, body-parser errors as 4xx, anything else
// as a 500 whose details go to the log (with the request id) and never to the client.
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from './app-error.ts';
import { problemType, sendProblem } from './problem.ts';

/** body-parser marks its errors with an HTTP status and a `type`. */
type BodyParserError = Error & { status: number; type: string };

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    error instanceof Error &&
    typeof (error as Partial<BodyParserError>).status === 'number' &&
    typeof (error as Partial<BodyParserError>).type === 'string'
  );
}

const BODY_PARSER_PROBLEMS: Record<string, { title: string; detail: string }> = {
  'entity.parse.failed': { title: 'Malformed JSON', detail: 'The request body is not valid JSON.' },
  'entity.too.large': { title: 'Request body too large', detail: 'The request body exceeds the size limit.' },
  'encoding.unsupported': { title: 'Unsupported encoding', detail: 'The request body encoding is not supported.' },
  'charset.unsupported': { title: 'Unsupported charset', detail: 'Send the request body as UTF-8.' },
};

export function errorMiddleware(logger: Logger) {
  // Express recognises error handlers by their four parameters.
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const requestId = res.locals.requestId;
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.options.headers ?? {})) res.setHeader(name, value);
      sendProblem(res, {
        type: problemType(error.code),
        title: error.title,
        status: error.status,
        detail: error.options.detail,
        errors: error.options.errors,
        instance: req.originalUrl,
        requestId,
      });
      return;
    }
    if (isBodyParserError(error) && error.status >= 400 && error.status < 500) {
      const known = BODY_PARSER_PROBLEMS[error.type] ?? {
        title: 'Bad request',
        detail: 'The request body could not be read.',
      };
      sendProblem(res, {
        type: problemType(error.type),
        status: error.status,
        ...known,
        instance: req.originalUrl,
        requestId,
      });
      return;
    }
    logger.error({ err: error, requestId, method: req.method, url: req.originalUrl }, 'unhandled error');
    if (res.headersSent) return;
    sendProblem(res, {
      type: problemType('internal'),
      title: 'Internal server error',
      status: 500,
      detail: `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
      requestId,
    });
  };
}

/** Unknown /api routes answer problem+json 404 rather than the SPA. */
export function apiNotFound(req: Request, _res: Response, next: NextFunction): void {
  next(new AppError('NOT_FOUND', 'Not found', { detail: `No API route ${req.method} ${req.originalUrl}.` }));
}
