/**
 * Joining outcome lines to their request. Most servers do not repeat everything on every
 * line: tftpd-hpa's `sending NAK (1, File not found) to IP` has no file name; tftpd32's
 * `Read request for file <F>` has no client (the `Connection received` line before it
 * has); IOS's `Sending error 1 No such file` has neither. The linker fills what a line
 * lacks from an earlier line and records how (`link.by`), so a finding can say how sure
 * it is. Methods, most certain first: same pid (tftpd-hpa); same client (and file) in order; same file
 * in order; the server's previous connection line; the server's previous request.
 */
import type { LinkMethod, ServerLogEvent, ServerProgram } from './events.js';

type Outcome = Extract<ServerLogEvent, { kind: 'not-found' | 'error' | 'finished' }>;

interface Request {
  readonly line: number;
  readonly program: ServerProgram;
  readonly client?: string;
  readonly file: string;
  readonly remappedTo?: string;
}

interface Connection {
  readonly line: number;
  readonly client: string;
  readonly port?: number;
  used: boolean;
}

/** Requests remembered for linking; the oldest are forgotten past this many (a server logging requests only). */
const MAX_REMEMBERED = 4096;
/**
 * Servers that fork one process per request, so a pid names one transfer. atftpd serves
 * every transfer from one process (threads), tftpd32 and IOS log no pid.
 */
const PROCESS_PER_REQUEST: ReadonlySet<ServerProgram> = new Set(['tftpd-hpa']);
/** tftpd32 errors about the request datagram itself, logged right after its `Connection received` line. */
const DATAGRAM_ERRORS: ReadonlySet<string> = new Set(['tftpd32-unexpected-request', 'tftpd32-ebadop']);

/** tftpd32 logs a name after turning `/` into `\` and dropping a leading `\`; atftpd logs the full path. */
function normaliseName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '');
}

function namesMatch(request: Request, logged: string): boolean {
  const name = normaliseName(logged);
  return [request.file, request.remappedTo].some((asked) => {
    if (asked === undefined) return false;
    const want = normaliseName(asked);
    return name === want || name.endsWith(`/${want}`);
  });
}

export type ServerLogLinker = (event: ServerLogEvent) => ServerLogEvent;

export function createServerLogLinker(): ServerLogLinker {
  const byPid = new Map<string, Request>();
  const open: Request[] = [];
  const lastConnection = new Map<ServerProgram, Connection>();

  const latestOpen = (test: (r: Request) => boolean): Request | undefined => {
    for (let i = open.length - 1; i >= 0; i--) if (test(open[i])) return open[i];
    return undefined;
  };
  const close = (request: Request): void => {
    const i = open.lastIndexOf(request);
    if (i >= 0) open.splice(i, 1);
  };

  function findRequest(event: Outcome): { request: Request; by: LinkMethod } | undefined {
    const { program, pid, client, file } = event;
    if (pid !== undefined && PROCESS_PER_REQUEST.has(program)) {
      const request = byPid.get(`${program}:${pid}`);
      if (request && (client === undefined || request.client === client)) return { request, by: 'pid' };
    }
    const sameServer = (r: Request): boolean => r.program === program;
    if (file !== undefined) {
      const request = latestOpen(
        (r) => sameServer(r) && namesMatch(r, file) && (client === undefined || r.client === client),
      );
      if (request) return { request, by: client === undefined ? 'file-order' : 'client-order' };
      return undefined;
    }
    if (client !== undefined) {
      const request = latestOpen((r) => sameServer(r) && r.client === client);
      return request ? { request, by: 'client-order' } : undefined;
    }
    if (program === 'cisco-ios') {
      const request = latestOpen(sameServer);
      return request ? { request, by: 'request-order' } : undefined;
    }
    return undefined;
  }

  return (event) => {
    switch (event.kind) {
      case 'connection': {
        if (event.client !== undefined && !event.refused) {
          lastConnection.set(event.program, {
            line: event.line,
            client: event.client,
            ...(event.port !== undefined ? { port: event.port } : {}),
            used: false,
          });
        }
        return event;
      }
      case 'request': {
        const connection = lastConnection.get(event.program);
        const joined =
          event.client === undefined && connection !== undefined && !connection.used ? connection : undefined;
        if (joined) joined.used = true;
        const client = event.client ?? joined?.client;
        const request: Request = {
          line: event.line,
          program: event.program,
          file: event.file,
          ...(client !== undefined ? { client } : {}),
          ...(event.remappedTo !== undefined ? { remappedTo: event.remappedTo } : {}),
        };
        if (event.pid !== undefined && PROCESS_PER_REQUEST.has(event.program)) {
          const key = `${event.program}:${event.pid}`;
          byPid.delete(key);
          byPid.set(key, request);
          if (byPid.size > MAX_REMEMBERED) byPid.delete(byPid.keys().next().value as string);
        }
        open.push(request);
        if (open.length > MAX_REMEMBERED) open.shift();
        if (!joined) return event;
        return {
          ...event,
          client: joined.client,
          ...(event.port === undefined && joined.port !== undefined ? { port: joined.port } : {}),
          link: { line: joined.line, by: 'connection-order' },
        };
      }
      case 'not-found':
      case 'error':
      case 'finished': {
        const found = findRequest(event);
        if (!found) {
          const connection = lastConnection.get(event.program);
          if (event.recogniser !== undefined && DATAGRAM_ERRORS.has(event.recogniser) && connection) {
            connection.used = true;
            return { ...event, client: connection.client, link: { line: connection.line, by: 'connection-order' } };
          }
          return event;
        }
        const { request, by } = found;
        close(request);
        // The logged name may be a path to the requested name (atftpd): keep the requested name as `file`.
        const differs = event.file !== undefined && event.file !== request.file && event.file !== request.remappedTo;
        const names =
          event.file === undefined
            ? { file: request.file }
            : event.kind === 'not-found' && differs
              ? { file: request.file, path: event.file }
              : {};
        return {
          ...event,
          ...(event.client === undefined && request.client !== undefined ? { client: request.client } : {}),
          ...names,
          link: { line: request.line, by },
        };
      }
      default:
        return event;
    }
  };
}
