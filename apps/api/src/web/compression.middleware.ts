// Compresses the API's answers (JSON, problem+json, the OpenAPI document and its page) with brotli or gzip as the
// client accepts, above 1 KiB. The live stream (text/event-stream) is left uncompressed: a compressor buffers,
// and every event must reach the browser the moment it is written.
import compression from 'compression';
import type { Request, Response } from 'express';

/** Whether an answer is worth compressing: compressible types (compression's rule), never an event stream. */
export function shouldCompress(req: Request, res: Response): boolean {
  const contentType = res.getHeader('Content-Type');
  if (typeof contentType === 'string' && contentType.startsWith('text/event-stream')) return false;
  return compression.filter(req, res);
}

export function apiCompression() {
  return compression({ filter: shouldCompress });
}
