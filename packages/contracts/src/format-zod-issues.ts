// One line for a failed zod parse, for messages a person reads in a log or a table: start-up configuration errors,
// dead-letter reasons. (z.prettifyError writes two lines per issue and cannot show the offending value.)
import type { z } from 'zod';

export type TFormatZodIssuesOptions = {
  /** How an issue is named from its dot-joined path (`(root)` for the value itself); default: the path. */
  label?: (path: string) => string;
  /** Issues shown at most, the first ones; default: all. */
  maxIssues?: number;
};

/** `label: message` per issue, joined with '; ', on one line (line breaks inside messages become spaces). */
export function formatZodIssues(error: z.ZodError, options: TFormatZodIssuesOptions = {}): string {
  const { label = (path: string) => path, maxIssues = error.issues.length } = options;
  return error.issues
    .slice(0, maxIssues)
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
      return `${label(path)}: ${issue.message.replace(/\s*[\r\n]+\s*/g, ' ')}`;
    })
    .join('; ');
}
