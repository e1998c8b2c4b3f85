// A JSON response body serialised once and sent as is to many requests (a snapshot every screen polls), with a
// content ETag so that a client holding the same body gets 304 Not Modified.
import { createHash } from 'node:crypto';

export class PreparedJson<T> {
  private constructor(
    /** The value the body holds, typed like the route's response. */
    readonly value: T,
    readonly body: Buffer,
    readonly etag: string,
  ) {}

  static of<T>(value: T): PreparedJson<T> {
    const body = Buffer.from(JSON.stringify(value));
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    return new PreparedJson(value, body, etag);
  }
}
