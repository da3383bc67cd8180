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
  const links = new Links();
  return (event) => {
    switch (event.kind) {
      case 'connection':
        links.connection(event);
        return event;
      case 'request':
        return links.request(event);
      case 'not-found':
      case 'error':
      case 'finished':
        return links.outcome(event);
      default:
        return event;
    }
  };
}

type ConnectionEvent = Extract<ServerLogEvent, { kind: 'connection' }>;
type RequestEvent = Extract<ServerLogEvent, { kind: 'request' }>;

/** What the linker remembers: open requests (also by pid) and each server's last connection line. */
class Links {
  private readonly byPid = new Map<string, Request>();
  private readonly open: Request[] = [];
  private readonly lastConnection = new Map<ServerProgram, Connection>();

  connection(event: ConnectionEvent): void {
    if (event.client === undefined || event.refused) return;
    this.lastConnection.set(event.program, {
      line: event.line,
      client: event.client,
      ...(event.port !== undefined ? { port: event.port } : {}),
      used: false,
    });
  }

  /** Remembers the request; one without a client takes it from the server's unused connection line. */
  request(event: RequestEvent): ServerLogEvent {
    const connection = this.lastConnection.get(event.program);
    const joined = event.client === undefined && connection !== undefined && !connection.used ? connection : undefined;
    if (joined) joined.used = true;
    const client = event.client ?? joined?.client;
    this.remember(event, {
      line: event.line,
      program: event.program,
      file: event.file,
      ...(client !== undefined ? { client } : {}),
      ...(event.remappedTo !== undefined ? { remappedTo: event.remappedTo } : {}),
    });
    if (!joined) return event;
    return {
      ...event,
      client: joined.client,
      ...(event.port === undefined && joined.port !== undefined ? { port: joined.port } : {}),
      link: { line: joined.line, by: 'connection-order' },
    };
  }

  /** An outcome with what it lacks filled from its request (or, for an error about the datagram, its connection line). */
  outcome(event: Outcome): ServerLogEvent {
    const found = this.findRequest(event);
    if (!found) {
      const connection = this.lastConnection.get(event.program);
      if (event.recogniser !== undefined && DATAGRAM_ERRORS.has(event.recogniser) && connection) {
        connection.used = true;
        return { ...event, client: connection.client, link: { line: connection.line, by: 'connection-order' } };
      }
      return event;
    }
    const { request, by } = found;
    this.close(request);
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

  private remember(event: RequestEvent, request: Request): void {
    if (event.pid !== undefined && PROCESS_PER_REQUEST.has(event.program)) {
      const key = `${event.program}:${event.pid}`;
      this.byPid.delete(key);
      this.byPid.set(key, request);
      const [oldest] = this.byPid.keys();
      if (this.byPid.size > MAX_REMEMBERED && oldest !== undefined) this.byPid.delete(oldest);
    }
    this.open.push(request);
    if (this.open.length > MAX_REMEMBERED) this.open.shift();
  }

  private findRequest(event: Outcome): { request: Request; by: LinkMethod } | undefined {
    const { program, pid, client, file } = event;
    if (pid !== undefined && PROCESS_PER_REQUEST.has(program)) {
      const request = this.byPid.get(`${program}:${pid}`);
      if (request && (client === undefined || request.client === client)) return { request, by: 'pid' };
    }
    const sameServer = (r: Request): boolean => r.program === program;
    if (file !== undefined) {
      const request = this.latestOpen(
        (r) => sameServer(r) && namesMatch(r, file) && (client === undefined || r.client === client),
      );
      if (request) return { request, by: client === undefined ? 'file-order' : 'client-order' };
      return undefined;
    }
    if (client !== undefined) {
      const request = this.latestOpen((r) => sameServer(r) && r.client === client);
      return request ? { request, by: 'client-order' } : undefined;
    }
    if (program === 'cisco-ios') {
      const request = this.latestOpen(sameServer);
      return request ? { request, by: 'request-order' } : undefined;
    }
    return undefined;
  }

  private latestOpen(test: (r: Request) => boolean): Request | undefined {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const request = this.open[i];
      if (request !== undefined && test(request)) return request;
    }
    return undefined;
  }

  private close(request: Request): void {
    const i = this.open.lastIndexOf(request);
    if (i >= 0) this.open.splice(i, 1);
  }
}
